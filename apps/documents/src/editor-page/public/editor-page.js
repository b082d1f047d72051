/* global document, location, window, WebSocket, setTimeout, clearTimeout, btoa, atob */
// The editor page (served at /edit and /edit/<documentId>). Plain ES module run by the browser: no build step.
// CodeMirror 6, y-codemirror.next (its binding to a Yjs text), Yjs, y-protocols and lib0 come from the app at
// pinned paths through the page's import map.
//
// Data comes only from the authenticated API (REST with a Bearer token) and the /collab socket, which gets the
// token in its first message. Tokens live in this tab's sessionStorage and never go into a URL. The sign-in, the
// status line, the API calls and the socket's first message and backoff are the page kit's
// (/page-kit/page-kit.js, shared with the other apps' pages).
import { defaultKeymap } from '@codemirror/commands';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import * as Y from 'yjs';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  Account,
  byId,
  openAuthenticatedSocket,
  reconnectDelay,
  say,
  wireAccountHeader,
} from '/page-kit/page-kit.js';

/** Reconnect delays double from the first to the cap, each with jitter, so a restarted server is not stampeded. */
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 15_000;
/** Close codes of /collab: the token was refused (or none came in time). */
const POLICY_VIOLATION = 1008;
/**
 * Edits sent and not yet acknowledged (`saved`) before further edits wait, merged into one message: the server
 * handles a socket's messages one at a time and refuses more than 32 waiting, so fast typing must not pile them
 * up. The server relays an edit at once but acknowledges it only once its append window is written (up to
 * about 2 s: ADR 0084), so the bound is what a fast typist sends in a window, not one or two keystrokes.
 */
const MAX_UNSAVED_SENDS = 24;
/**
 * This editor's presence is sent at most this often, the latest state at the end of each pause: the caret moves
 * with every keystroke, and each send is a message the server handles in the socket's queue.
 */
const PRESENCE_SHARE_MS = 200;
/**
 * Colours of the others' carets, selections and name tags (white text on each reads at WCAG AA). A person's
 * colour follows from their email, so it is the same in every page and every session.
 */
const CARET_COLOURS = [
  '#1f5fbf',
  '#b3261e',
  '#2e7d32',
  '#7b1fa2',
  '#a14a00',
  '#00695c',
  '#ad1457',
  '#4e5b6e',
];
/** Errors after which the server may lack an edit this page sent: the page syncs the document again. */
const RESYNC_ERRORS = new Set(['not-saved', 'too-many-messages', 'unavailable', 'internal']);

const UUID = /^\/edit\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const documentId = UUID.exec(location.pathname)?.[1]?.toLowerCase() ?? null;

// ---- session: sign in, sign out ----

const account = new Account('documents:session');
const SESSION_ENDED = 'Your session has ended: sign in again.';

/** An API call; a session that has ended (its token refused and not refreshable) signs out. */
async function api(what, path, options) {
  try {
    return await account.api(what, path, options);
  } catch (error) {
    if (error.status === 401) signOut(SESSION_ENDED);
    throw error;
  }
}

/** Forgets the session (revoking its refresh token) and leaves only the sign-in on the page. */
function signOut(reason) {
  account.signOut();
  signedOut(reason);
}

function signedOut(reason) {
  editor?.close();
  for (const id of ['finder', 'library', 'editor']) byId(id).hidden = true;
  say(reason);
}

wireAccountHeader(account, {
  signedIn: () => void start(),
  signedOut: () => signedOut('Signed out.'),
});

// ---- finding documents: the list, creating one, search ----

function documentLink(id, title) {
  const link = document.createElement('a');
  link.href = `/edit/${id}`;
  link.textContent = title;
  return link;
}

async function showLibrary() {
  byId('library').hidden = false;
  const page = await api('documents', '/documents?limit=50');
  const list = byId('documents');
  list.replaceChildren(
    ...page.data.map((found) => {
      const item = document.createElement('li');
      item.dataset.documentId = found.id;
      item.append(documentLink(found.id, found.title));
      return item;
    }),
  );
  say(page.data.length === 0 ? 'No documents yet: create one.' : 'Open a document to edit it.');
}

byId('create-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const created = await api('new document', '/documents', {
      method: 'POST',
      body: { title: byId('new-title').value.trim() },
    });
    location.assign(`/edit/${created.id}`);
  } catch (error) {
    say(error.message, true);
  }
});

byId('search-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const results = byId('search-results');
  const query = byId('search-text').value.trim();
  try {
    const page = await api('search', `/documents/search?q=${encodeURIComponent(query)}&limit=20`);
    results.replaceChildren(
      ...page.data.map((hit) => {
        const item = document.createElement('li');
        item.dataset.documentId = hit.documentId;
        item.append(documentLink(hit.documentId, hit.title));
        return item;
      }),
    );
    if (page.data.length === 0) {
      const none = document.createElement('li');
      none.className = 'none';
      none.textContent = `Nothing found for “${query}” (new text is searchable a few seconds after it is typed).`;
      results.append(none);
    }
    results.dataset.query = query;
  } catch (error) {
    results.replaceChildren();
    say(error.message, true);
  }
});

// ---- co-editing one document over /collab ----

function caretColour(email) {
  let hash = 0;
  for (const char of email) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return CARET_COLOURS[hash % CARET_COLOURS.length];
}

/** Read only until the server says this person may write (a viewer's page stays so). */
const readOnly = (yes) => [EditorState.readOnly.of(yes), EditorView.editable.of(!yes)];

/**
 * One document edited in CodeMirror bound to a Y.Text (y-codemirror.next: local edits become Yjs transactions,
 * remote ones editor changes, the others' carets and selections are drawn from awareness): the Y.Doc syncs with
 * the server through y-protocols messages (base64 in JSON frames), presence through awareness. Edits made while
 * offline stay in the Y.Doc and reach the server in the answer to its sync step 1 when the socket is back.
 */
class CollaborativeEditor {
  constructor(id) {
    this.documentId = id;
    this.doc = new Y.Doc();
    this.text = this.doc.getText('content');
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    const colour = caretColour(account.session.email);
    // y-codemirror.next draws the others' carets with `name` and `color`, and their selections in `colorLight`.
    this.awareness.setLocalStateField('user', {
      name: account.session.email,
      color: colour,
      colorLight: `${colour}33`,
    });
    this.writable = new Compartment();
    this.view = new EditorView({
      parent: byId('content'),
      state: EditorState.create({
        doc: this.text.toString(),
        extensions: [
          keymap.of([...yUndoManagerKeymap, ...defaultKeymap]),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-labelledby': 'content-label', spellcheck: 'false' }),
          this.writable.of(readOnly(true)),
          yCollab(this.text, this.awareness),
        ],
      }),
    });
    this.socket = null;
    /** The server has opened the document for this socket: edits may be sent as they are made. */
    this.opened = false;
    this.canWrite = false;
    /** Update messages sent and not yet acknowledged with `saved`. */
    this.unsaved = 0;
    /** Local updates waiting for an acknowledgement before they are sent (merged). */
    this.queued = [];
    /** The pause after a presence send, and whether the state changed during it (sent when it ends). */
    this.presenceTimer = null;
    this.presencePending = false;
    /** Edits made while no socket had the document open: they go with the next sync. */
    this.editedOffline = false;
    this.attempt = 0;
    this.retryTimer = null;
    this.closed = false;

    this.doc.on('update', (update, origin) => this.onDocumentUpdate(update, origin));
    this.awareness.on('update', (changes, origin) => this.onAwarenessUpdate(changes, origin));
    this.awareness.on('change', () => this.showPresence());
    window.addEventListener('online', () => this.reconnectNow());
    // Others see this editor leave at once instead of 30 s later, when its presence would time out.
    window.addEventListener('pagehide', () => {
      this.cancelPresencePause();
      awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], 'local');
    });
  }

  connect() {
    if (this.closed) return;
    this.setConnection('connecting', 'Connecting…');
    const socket = openAuthenticatedSocket('/collab', account);
    this.socket = socket;
    socket.addEventListener('message', (event) => {
      if (this.socket === socket) this.receive(JSON.parse(event.data));
    });
    socket.addEventListener('close', (event) => {
      if (this.socket === socket) void this.onClose(event.code);
    });
  }

  close() {
    this.closed = true;
    this.opened = false;
    clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = null;
    // The next document (or sign-in) gets an editor of its own.
    this.view.destroy();
    this.awareness.destroy();
    // Last: destroying the awareness withdraws this editor's state, which starts a presence pause.
    this.cancelPresencePause();
  }

  send(message) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  sendSync(message) {
    this.send({ type: 'sync', documentId: this.documentId, data: toBase64(message) });
  }

  receive(frame) {
    switch (frame.type) {
      case 'authenticated':
        return this.send({ type: 'open', documentId: this.documentId });
      case 'opened':
        return this.onOpened(frame.canWrite === true);
      case 'sync':
        return this.onSync(fromBase64(frame.data));
      case 'saved':
        this.unsaved = Math.max(0, this.unsaved - 1);
        this.sendQueued();
        return this.showSaved();
      case 'awareness':
        return awarenessProtocol.applyAwarenessUpdate(this.awareness, fromBase64(frame.data), 'server');
      case 'error':
        return this.onError(frame);
      default:
        return undefined;
    }
  }

  onOpened(canWrite) {
    this.opened = true;
    // Whatever was sent and not acknowledged, or queued, goes in the answer to the server's step 1.
    this.unsaved = 0;
    this.queued = [];
    this.canWrite = canWrite;
    this.view.dispatch({ effects: this.writable.reconfigure(readOnly(!canWrite)) });
    // Our step 1: the server answers with what this copy lacks (its step 2).
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.sendSync(encoding.toUint8Array(encoder));
    this.announce();
  }

  onSync(message) {
    const reply = encoding.createEncoder();
    const kind = syncProtocol.readSyncMessage(decoding.createDecoder(message), reply, this.doc, 'server');
    if (encoding.length(reply) > 0 && this.canWrite) {
      // The answer to the server's step 1: the edits it lacks, those made offline among them.
      this.sendSync(encoding.toUint8Array(reply));
      this.editedOffline = false;
    }
    if (kind === syncProtocol.messageYjsSyncStep2) {
      this.attempt = 0;
      this.setConnection('synced', this.canWrite ? 'Connected' : 'Connected (read only)');
      say(this.canWrite ? 'Editing with the others here now.' : 'You may read this document.');
    }
    this.showSaved();
  }

  onError(frame) {
    if (frame.code === 'not-found') {
      this.close();
      this.setConnection('offline', 'Not connected');
      return say('No such document in your organisation.', true);
    }
    if (RESYNC_ERRORS.has(frame.code)) {
      // An edit may not have reached the server: opening the document again makes the server send its step 1,
      // and the answer carries whatever it lacks.
      return this.send({ type: 'open', documentId: this.documentId });
    }
    say(frame.message ?? 'The editor refused a message.', true);
  }

  async onClose(code) {
    this.socket = null;
    this.opened = false;
    this.unsaved = 0;
    this.queued = [];
    // Others' presence cannot be followed while offline; they announce themselves again after the resync.
    const others = [...this.awareness.getStates().keys()].filter((client) => client !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, 'offline');
    if (this.closed) return;
    if (
      code === POLICY_VIOLATION &&
      !(await account.refresh().then(
        () => true,
        () => false,
      ))
    )
      return signOut(SESSION_ENDED);
    this.attempt += 1;
    const delay = reconnectDelay(this.attempt, RECONNECT_FIRST_MS, RECONNECT_MAX_MS);
    this.setConnection('offline', `Offline: reconnecting in ${Math.ceil(delay / 1000)} s`);
    this.showSaved();
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    if (this.socket !== null || this.closed) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  onDocumentUpdate(update, origin) {
    if (origin === 'server') return;
    if (!this.opened || !this.canWrite) {
      this.editedOffline = true;
      return this.showSaved();
    }
    this.queued.push(update);
    this.sendQueued();
    this.showSaved();
  }

  /** Sends the queued local updates as one, unless too many sends already wait for their acknowledgement. */
  sendQueued() {
    if (this.queued.length === 0 || this.unsaved >= MAX_UNSAVED_SENDS) return;
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, Y.mergeUpdates(this.queued));
    this.queued = [];
    this.sendSync(encoding.toUint8Array(encoder));
    this.unsaved += 1;
  }

  /**
   * Sends this editor's presence, first withdrawn then set again: every other editor sees it as new and
   * answers with its own, so a page that reconnects learns who is here without waiting for their renewal.
   */
  announce() {
    // The withdrawal goes at once, not folded into a pending send (which would carry only the new state).
    this.cancelPresencePause();
    const state = this.awareness.getLocalState();
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], 'local');
    this.awareness.setLocalState(state);
  }

  onAwarenessUpdate({ added, updated, removed }, origin) {
    if (origin === 'local') {
      if ([...added, ...updated, ...removed].includes(this.doc.clientID)) this.sharePresence();
    } else if (origin === 'server' && added.length > 0) {
      // Someone new: tell them who is here.
      this.sendPresence();
    }
  }

  /** Sends this editor's presence now, or at the end of the pause after the last send (then the latest state). */
  sharePresence() {
    if (this.presenceTimer !== null) {
      this.presencePending = true;
      return;
    }
    this.sendPresence();
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = null;
      if (!this.presencePending) return;
      this.presencePending = false;
      this.sharePresence();
    }, PRESENCE_SHARE_MS);
  }

  /** The next change of this editor's presence is sent at once (a pending one is in it: it is the latest state). */
  cancelPresencePause() {
    clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
    this.presencePending = false;
  }

  sendPresence() {
    if (!this.opened) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]);
    this.send({ type: 'awareness', documentId: this.documentId, data: toBase64(update) });
  }

  showPresence() {
    const items = [];
    for (const [client, state] of this.awareness.getStates()) {
      if (client === this.doc.clientID || typeof state?.user?.name !== 'string') continue;
      const item = document.createElement('li');
      item.dataset.clientId = String(client);
      item.append(state.user.name);
      // The caret is the selection's head (y-codemirror.next shares `{ anchor, head }` as relative positions).
      const cursor = state.cursor?.head
        ? Y.createAbsolutePositionFromRelativePosition(
            Y.createRelativePositionFromJSON(state.cursor.head),
            this.doc,
          )
        : null;
      if (cursor) {
        const where = document.createElement('span');
        where.className = 'where';
        where.dataset.cursor = String(cursor.index);
        where.textContent = ` — at character ${cursor.index}`;
        item.append(where);
      }
      items.push(item);
    }
    byId('presence').replaceChildren(...items);
    document.body.dataset.others = String(items.length);
  }

  setConnection(state, text) {
    document.body.dataset.connection = state;
    byId('connection').textContent = text;
  }

  showSaved() {
    const [state, text] =
      this.unsaved > 0 || this.queued.length > 0
        ? ['saving', 'Saving…']
        : this.editedOffline
          ? ['pending', 'Edits kept here until the connection is back']
          : ['saved', 'All changes saved'];
    document.body.dataset.saved = state;
    byId('saved').textContent = text;
  }
}

function toBase64(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

let editor = null;

async function openEditor(id) {
  byId('editor').hidden = false;
  try {
    const found = await api('document', `/documents/${id}`);
    byId('document-title').textContent = found.title;
    document.title = `${found.title} · Documents`;
  } catch (error) {
    return say(error.status === 404 ? 'No such document in your organisation.' : error.message, true);
  }
  editor = new CollaborativeEditor(id);
  editor.connect();
}

async function start() {
  if (account.session === null)
    return say(documentId ? 'Sign in to edit this document.' : 'Sign in to see your documents.');
  byId('finder').hidden = false;
  try {
    if (documentId) await openEditor(documentId);
    else await showLibrary();
  } catch (error) {
    if (error.status !== 401) say(error.message, true);
  }
}

void start();
