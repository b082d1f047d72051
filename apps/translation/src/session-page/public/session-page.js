/* global document, location, navigator, sessionStorage, crypto */
// The session page. /room lists the caller's sessions; /room/<sessionId> is one session: the participant signs
// in, picks the language they read it in and joins (POST /sessions/:id/participants, idempotent), and the page
// opens WebSocket /chat (the access token goes in the first message, never in the URL), joins the session's
// rooms and shows everyone's messages in that language and the speech captions. A message the participant sends
// shows at once as "sending", then "pending" when the server has stored it (its translations are being made),
// then "delivered" when the worker has delivered it in every language; others' messages arrive already
// translated. A dropped socket is reconnected with exponential backoff and jitter, and the connection's state is
// always in sight.
// An ES module with no build step; the sign-in, the status line and the reconnecting socket are the page kit's
// (/page-kit/page-kit.js, shared with the other apps' pages). Every value goes into the page through
// textContent.
import { Account, ReconnectingSocket, byId, element, say, wireAccountHeader } from '/page-kit/page-kit.js';

const LANGUAGE_KEY_PREFIX = 'translation:language:';
const LANGUAGE_PATTERN = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$/;
const SESSIONS_PAGE_SIZE = 20;
const MESSAGES_KEPT = 200;
const CAPTIONS_KEPT = 6;
const SIGN_IN_ENDED = 'Your sign-in has ended: sign in again.';

const segments = location.pathname.split('/').filter(Boolean);
const sessionId = segments.length === 2 ? decodeURIComponent(segments[1]).toLowerCase() : null;
const body = document.body;
const connectionEl = byId('connection');
const languageForm = byId('language-form');
const languageInput = byId('language');
const chatForm = byId('chat-form');
const chatText = byId('chat-text');
const messagesEl = byId('messages');
const captionsEl = byId('captions');

const account = new Account('translation:session');
/** The language this participant reads the session in, once joined (the server's answer, not the input's). */
let language = null;
/** The server has put the socket in the session's rooms; `downSince` while the socket is not there. */
let joinedRooms = false;
let downSince = null;
/** The chat connection: one socket at a time, back after a drop (1012, 1013: another instance may take it). */
const chat = new ReconnectingSocket(account, {
  path: '/chat',
  firstRetryMs: 500,
  maxRetryMs: 15000,
  onConnecting() {
    if (downSince === null) showConnection('connecting', 'Connecting…');
    else
      showConnection(
        'reconnecting',
        'Disconnected since ' + clock(downSince) + ' — reconnecting (attempt ' + chat.attempt + ')…',
      );
  },
  onFrame: handleFrame,
  onDown() {
    joinedRooms = false;
    setChatEnabled(false);
    // Sent and stored, not yet seen delivered: its delivery may go out while no socket listens.
    ownByClientId.forEach(function (item) {
      if (item.dataset.state === 'pending') setState(item, 'sent');
    });
  },
  onRetry(closeCode, attempt, delay) {
    if (downSince === null) downSince = new Date().toISOString();
    showConnection(
      'reconnecting',
      'Disconnected since ' +
        clock(downSince) +
        ' (' +
        closeCode +
        ') — reconnecting in ' +
        (delay / 1000).toFixed(1) +
        ' s (attempt ' +
        attempt +
        ').',
    );
  },
  onSessionEnded() {
    signedOut('Your sign-in has ended: sign in again to rejoin.');
  },
});
/** Message items by the server's messageId, and this participant's own by their clientMessageId. */
const byMessageId = new Map();
const ownByClientId = new Map();
const captionByKey = new Map();

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function randomId(prefix) {
  return prefix + crypto.randomUUID();
}

function signedOut(message) {
  stopChat();
  account.keep(null);
  byId('room').hidden = true;
  showConnection('offline', 'Not connected');
  say(message, false);
}

wireAccountHeader(account, {
  signedIn: start,
  signedOut() {
    signedOut('Signed out.');
  },
});

// ---- the session list ------------------------------------------------------------------------------------------

function sessionItem(session) {
  var item = element('li');
  item.dataset.sessionId = session.id;
  var link = element('a', '', session.title);
  link.href = '/room/' + encodeURIComponent(session.id);
  item.appendChild(link);
  item.appendChild(element('div', 'meta', session.status + ' · spoken in ' + session.sourceLanguage));
  return item;
}

/** One keyset page of the organisation's sessions, newest first; `cursor` null starts the list again. */
function loadSessions(cursor) {
  var list = byId('sessions');
  var more = byId('more-sessions');
  say('Loading your sessions…', false);
  account
    .api(
      'sessions',
      '/sessions?limit=' + SESSIONS_PAGE_SIZE + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''),
    )
    .then(function (page) {
      if (!cursor) list.textContent = '';
      page.data.forEach(function (session) {
        list.appendChild(sessionItem(session));
      });
      more.hidden = !page.pagination.hasMore;
      more.onclick = function () {
        loadSessions(page.pagination.nextCursor);
      };
      say(list.children.length === 0 ? 'Your organisation has no sessions yet.' : 'Choose a session.', false);
    })
    .catch(function (error) {
      if (error.status === 401) signedOut(SIGN_IN_ENDED);
      else say('Could not load your sessions (' + error.message + '). Try again.', true);
    });
}

// ---- one session -----------------------------------------------------------------------------------------------

function languageKey() {
  return LANGUAGE_KEY_PREFIX + sessionId;
}

function suggestedLanguage() {
  var stored = sessionStorage.getItem(languageKey());
  if (stored && LANGUAGE_PATTERN.test(stored)) return stored;
  var primary = String(navigator.language || 'en').split('-')[0];
  return LANGUAGE_PATTERN.test(primary) ? primary : 'en';
}

function loadSession() {
  say('Loading the session…', false);
  account
    .api('session', '/sessions/' + encodeURIComponent(sessionId))
    .then(function (session) {
      byId('session-title').textContent = session.title;
      document.title = session.title + ' — Polyglot Connect';
      byId('session-meta').textContent = session.status + ' · spoken in ' + session.sourceLanguage;
      if (session.status === 'ended') return ended();
      languageForm.hidden = false;
      languageInput.value = suggestedLanguage();
      // A participant who joined in this tab before (a reload) is joined again in the same language.
      if (sessionStorage.getItem(languageKey())) return joinSession(languageInput.value);
      say('Choose the language you read, and join.', false);
      languageInput.focus();
    })
    .catch(function (error) {
      if (error.status === 401) signedOut(SIGN_IN_ENDED);
      else if (error.status === 404) say('There is no session with this address in your organisation.', true);
      else say('Could not load the session (' + error.message + ').', true);
    });
}

function ended() {
  stopChat();
  languageForm.hidden = true;
  byId('room').hidden = true;
  showConnection('offline', 'Not connected');
  say('This session has ended.', false);
}

/**
 * Joins (or switches language): the participant row first, through the API, then the socket; a socket already
 * in the session is moved to the new language's rooms by joining again.
 */
function joinSession(wanted) {
  if (!LANGUAGE_PATTERN.test(wanted))
    return say('"' + wanted + '" is not a language tag: use one such as en, de, ja, pt-BR or zh-Hans.', true);
  say('Joining in ' + wanted + '…', false);
  account
    .api('join', '/sessions/' + encodeURIComponent(sessionId) + '/participants', {
      method: 'POST',
      body: { language: wanted },
      headers: { 'idempotency-key': randomId('join-') },
    })
    .then(function (participant) {
      sessionStorage.setItem(languageKey(), participant.language);
      byId('join').textContent = 'Change language';
      byId('room').hidden = false;
      if (chat.socket && joinedRooms) chat.send({ type: 'join', sessionId: sessionId });
      else if (!chat.socket) chat.connect();
    })
    .catch(function (error) {
      if (error.status === 401) signedOut(SIGN_IN_ENDED);
      else if (error.status === 409) ended();
      else say('Could not join (' + error.message + ').', true);
    });
}

languageForm.onsubmit = function (event) {
  event.preventDefault();
  joinSession(languageInput.value.trim());
};

// ---- messages and captions -------------------------------------------------------------------------------------

var STATE_WORDS = {
  sending: 'sending…',
  pending: 'pending: being translated',
  sent: 'sent (its delivery came while you were disconnected, or is still on its way)',
  delivered: 'delivered',
  original: '',
};

function setState(item, state, words) {
  item.dataset.state = state;
  item.querySelector('.state').textContent = words !== undefined ? words : STATE_WORDS[state];
}

function messageItem(sentAt, author, text) {
  var item = element('li');
  var time = element('time', '', clock(sentAt));
  time.dateTime = sentAt;
  item.appendChild(time);
  item.appendChild(element('span', 'author', author));
  item.appendChild(document.createTextNode(': '));
  item.appendChild(element('span', 'text', text));
  item.appendChild(element('span', 'state'));
  return item;
}

function append(item) {
  var atBottom = messagesEl.scrollHeight - messagesEl.scrollTop - messagesEl.clientHeight < 40;
  messagesEl.appendChild(item);
  while (messagesEl.children.length > MESSAGES_KEPT) {
    var first = messagesEl.firstElementChild;
    byMessageId.delete(first.dataset.messageId);
    ownByClientId.delete(first.dataset.clientMessageId);
    messagesEl.removeChild(first);
  }
  if (atBottom) messagesEl.scrollTop = messagesEl.scrollHeight;
}

function sendOwn(item) {
  chat.send({
    type: 'message',
    text: item.dataset.sentText,
    clientMessageId: item.dataset.clientMessageId,
  });
}

chatForm.onsubmit = function (event) {
  event.preventDefault();
  var text = chatText.value;
  if (!joinedRooms || text.trim() === '') return;
  var item = messageItem(new Date().toISOString(), 'You', text);
  item.dataset.clientMessageId = randomId('c-');
  item.dataset.sentText = text;
  setState(item, 'sending');
  ownByClientId.set(item.dataset.clientMessageId, item);
  append(item);
  sendOwn(item);
  chatText.value = '';
};

/** The server stored the message: its translations are on their way to everyone. */
function pending(frame) {
  var item = ownByClientId.get(frame.clientMessageId);
  if (!item || (item.dataset.state !== 'sending' && item.dataset.state !== 'sent')) return;
  item.dataset.messageId = frame.messageId;
  byMessageId.set(frame.messageId, item);
  setState(item, 'pending');
}

/** A message in this participant's language; delivery is at least once, so a second copy changes nothing. */
function showMessage(frame) {
  var own = frame.authorId === account.session.userId;
  var item = byMessageId.get(frame.messageId) || (own ? ownByClientId.get(frame.clientMessageId) : undefined);
  if (
    item &&
    item.dataset.state !== 'sending' &&
    item.dataset.state !== 'pending' &&
    item.dataset.state !== 'sent'
  )
    return;
  if (!item) {
    item = messageItem(frame.sentAt, own ? 'You' : 'Participant ' + frame.authorId.slice(0, 8), frame.text);
    append(item);
  }
  item.dataset.messageId = frame.messageId;
  item.dataset.language = frame.language;
  byMessageId.set(frame.messageId, item);
  item.querySelector('.text').textContent = frame.text;
  if (own) setState(item, 'delivered');
  else if (frame.translated) setState(item, 'translated', 'translated from ' + frame.sourceLanguage);
  else if (frame.untranslated)
    setState(
      item,
      'untranslated',
      'not translated (' +
        (frame.untranslated === 'timeout' ? 'the translation took too long' : 'translation unavailable') +
        '): the original, in ' +
        frame.sourceLanguage,
    );
  else setState(item, 'original');
}

function showNotice(frame) {
  var item = element('li', 'notice', 'Notice: ' + frame.text);
  append(item);
}

/** A speech caption in this participant's language: the latest few, one line per segment. */
function showCaption(frame) {
  var key = frame.streamId + ':' + frame.segment;
  var item = captionByKey.get(key);
  if (!item) {
    item = element('li');
    item.dataset.key = key;
    captionByKey.set(key, item);
    captionsEl.appendChild(item);
  }
  item.textContent = frame.text;
  while (captionsEl.children.length > CAPTIONS_KEPT) {
    captionByKey.delete(captionsEl.firstElementChild.dataset.key);
    captionsEl.removeChild(captionsEl.firstElementChild);
  }
}

// ---- the chat socket -------------------------------------------------------------------------------------------

function showConnection(state, words) {
  body.dataset.connection = state;
  connectionEl.textContent = words;
}

function setChatEnabled(enabled) {
  chatText.disabled = !enabled;
  chatForm.querySelector('button').disabled = !enabled;
}

function stopChat() {
  chat.stop();
  joinedRooms = false;
  setChatEnabled(false);
}

function handleFrame(frame) {
  if (frame.type === 'authenticated') chat.send({ type: 'join', sessionId: sessionId });
  else if (frame.type === 'joined') joined(frame);
  else if (frame.type === 'pending') pending(frame);
  else if (frame.type === 'message') showMessage(frame);
  else if (frame.type === 'caption') showCaption(frame);
  else if (frame.type === 'notice') showNotice(frame);
  else if (frame.type === 'error') chatError(frame);
}

function joined(frame) {
  chat.established();
  joinedRooms = true;
  downSince = null;
  language = frame.language;
  languageInput.value = language;
  showConnection('connected', 'Connected — messages and captions appear in ' + language + '.');
  say('You are in the session, reading it in ' + language + '.', false);
  setChatEnabled(true);
  // Messages the server never acknowledged go again, with their ids: a copy it did store stays one message.
  ownByClientId.forEach(function (item) {
    if (item.dataset.state === 'sending') sendOwn(item);
  });
}

function chatError(frame) {
  if (frame.code === 'not-a-participant') {
    sessionStorage.removeItem(languageKey());
    stopChat();
    byId('room').hidden = true;
    showConnection('offline', 'Not connected');
    byId('join').textContent = 'Join';
    return say('You are not a participant of this session any more: join it again.', true);
  }
  if (frame.code === 'invalid-message' && frame.details)
    return say(
      'Message not sent: ' +
        frame.details
          .map(function (detail) {
            return detail.field + ' ' + detail.problems.join(', ');
          })
          .join('; '),
      true,
    );
  say('Chat: ' + (frame.message || frame.code), true);
}

// ---- start ---------------------------------------------------------------------------------------------------

function start() {
  if (account.session === null) {
    say(sessionId === null ? 'Sign in to see your sessions.' : 'Sign in to join this session.', false);
    byId('email').focus();
    return;
  }
  if (sessionId === null) loadSessions(null);
  else loadSession();
}

if (sessionId === null) byId('sessions-view').hidden = false;
else byId('session-view').hidden = false;
languageForm.hidden = true;
start();
