/* global document, location, fetch, WebSocket, sessionStorage, setTimeout, clearTimeout */
// The page kit: what every app's browser page does the same way, as one ES module the pages import (no build
// step). The status line, the signed-in member of this tab (sign-in, single-use refresh tokens, sign-out, API
// calls that refresh an expired token once) and a socket that authenticates with its first message and comes
// back after a drop with jittered exponential backoff. Tokens live in the tab's sessionStorage, never in a URL.
// Every value goes into the page through textContent.

export function byId(id) {
  return document.getElementById(id);
}

export function element(tag, className, content) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (content !== undefined) el.textContent = content;
  return el;
}

/** The page's status line (#status); a problem also marks the body, which the kit's stylesheet shows in red. */
export function say(message, isProblem = false) {
  byId('status').textContent = message;
  if (isProblem) document.body.dataset.problem = 'true';
  else delete document.body.dataset.problem;
}

/** An API answer that was not 2xx; `problem` is the error body's field details (or message) in words. */
export class HttpError extends Error {
  constructor(what, status, problem) {
    super(what + ': HTTP ' + status + (problem ? ' (' + problem + ')' : ''));
    this.status = status;
  }
}

/** The error body's field details in words, for a 400; its message otherwise. */
function problemOf(errorBody) {
  if (!errorBody || !Array.isArray(errorBody.details)) return errorBody && errorBody.message;
  return errorBody.details.map((detail) => detail.field + ' ' + detail.problems.join(', ')).join('; ');
}

function postJson(path, body) {
  return fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * The member signed in in this tab: `{ accessToken, refreshToken, email, userId }` kept in sessionStorage under
 * `storageKey` (it survives going from a list to an item, ends with the tab), or null. The page's header (the
 * kit's #sign-in form, #account with #who) follows it.
 */
export class Account {
  constructor(storageKey) {
    this.storageKey = storageKey;
    this.session = this.read();
    this.refreshing = null;
  }

  read() {
    try {
      const stored = JSON.parse(sessionStorage.getItem(this.storageKey) || 'null');
      return stored && stored.accessToken && stored.refreshToken && stored.email ? stored : null;
    } catch {
      return null;
    }
  }

  keep(next) {
    this.session = next;
    if (next) sessionStorage.setItem(this.storageKey, JSON.stringify(next));
    else sessionStorage.removeItem(this.storageKey);
    this.render();
  }

  render() {
    byId('sign-in').hidden = this.session !== null;
    byId('account').hidden = this.session === null;
    byId('who').textContent = this.session ? this.session.email : '';
  }

  /** Signs in; rejects with words fit for the status line. */
  async signIn(email, password) {
    const response = await postJson('/auth/login', { email, password });
    if (response.status === 401) throw new Error('Sign-in failed: wrong e-mail or password');
    if (response.status === 429) throw new Error('Too many sign-in attempts: wait a moment and try again');
    if (!response.ok) throw new Error('Sign-in failed: HTTP ' + response.status);
    const tokens = await response.json();
    this.keep({
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      email: tokens.user.email,
      userId: tokens.user.id,
    });
  }

  /** Forgets the session here and revokes its refresh token on the server (best effort). */
  signOut() {
    const refreshToken = this.session && this.session.refreshToken;
    this.keep(null);
    if (refreshToken)
      postJson('/auth/logout', { refreshToken }).catch(() => {
        // The refresh token left this tab either way; it expires on its own.
      });
  }

  /** A refresh token is single-use: concurrent 401s share one refresh. Rejects when the session has ended. */
  refresh() {
    if (this.session === null) return Promise.reject(new HttpError('session', 401));
    this.refreshing ??= postJson('/auth/refresh', { refreshToken: this.session.refreshToken })
      .then((response) => {
        if (!response.ok) throw new HttpError('session', 401);
        return response.json();
      })
      .then((tokens) => {
        this.keep({ ...this.session, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /**
   * An API call with the access token; an expired one is refreshed once and the call sent again. A session that
   * cannot be refreshed leaves the 401 as the answer.
   */
  async fetch(path, options = {}) {
    const send = () => {
      const headers = { authorization: 'Bearer ' + (this.session ? this.session.accessToken : '') };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      return fetch(path, {
        method: options.method || 'GET',
        headers: { ...headers, ...options.headers },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    };
    const response = await send();
    if (response.status !== 401 || this.session === null) return response;
    return this.refresh().then(send, () => response);
  }

  /** An API call's JSON body (null for 204), or an HttpError naming `what` and the error body's problem. */
  async api(what, path, options) {
    const response = await this.fetch(path, options);
    if (response.status === 204) return null;
    if (response.ok) return response.json();
    const errorBody = await response.json().catch(() => null);
    throw new HttpError(what, response.status, problemOf(errorBody));
  }
}

/**
 * The header's sign-in form and sign-out button: `signedIn` runs after a sign-in, `signedOut` after the member
 * signs out here.
 */
export function wireAccountHeader(account, { signedIn, signedOut }) {
  byId('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    say('Signing in…');
    account.signIn(byId('email').value.trim(), byId('password').value).then(
      () => {
        byId('password').value = '';
        signedIn();
      },
      (error) => say(String(error.message || error), true),
    );
  });
  byId('sign-out').addEventListener('click', () => {
    account.signOut();
    signedOut();
  });
  account.render();
}

/**
 * Exponential backoff with jitter: the `attempt`-th retry (from 1) waits between half and all of a ceiling that
 * doubles from `firstMs` to `maxMs`, so a restarted instance is not met by every open page at once.
 */
export function reconnectDelay(attempt, firstMs, maxMs) {
  const ceiling = Math.min(maxMs, firstMs * Math.pow(2, attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** A WebSocket to `path` on this origin that sends the access token as its first message, never in the URL. */
export function openAuthenticatedSocket(path, account) {
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + path);
  socket.addEventListener('open', () => {
    socket.send(JSON.stringify({ type: 'auth', token: account.session.accessToken }));
  });
  return socket;
}

/**
 * One authenticated socket at a time to `path`, reconnected after a drop with backoff (`firstRetryMs` to
 * `maxRetryMs`). Frames of a socket already given up are dropped; a batch (room frames of the server's frame
 * window) is handed on frame by frame, in order. A refused token is refreshed once and the socket opened again;
 * refused again, or not refreshable, the session has ended (`onSessionEnded`).
 * Callbacks: `onConnecting()`, `onFrame(frame)`, `onDown()` (the socket closed), `onRetry(closeCode, attempt,
 * delayMs)`, `onSessionEnded()`.
 */
export class ReconnectingSocket {
  constructor(account, options) {
    this.account = account;
    this.options = options;
    this.socket = null;
    /** Bumped whenever a socket is given up: its late events carry an older generation. */
    this.generation = 0;
    this.attempt = 0;
    this.retryTimer = null;
    this.tokenRefreshed = false;
  }

  connect() {
    this.stop();
    const generation = this.generation;
    this.options.onConnecting();
    const socket = openAuthenticatedSocket(this.options.path, this.account);
    this.socket = socket;
    let refused = false;
    const handle = (frame) => {
      if (frame.type === 'batch') frame.messages.forEach(handle);
      else if (frame.type === 'error' && (frame.code === 'auth-failed' || frame.code === 'auth-timeout'))
        refused = true;
      else this.options.onFrame(frame);
    };
    socket.addEventListener('message', (event) => {
      if (generation === this.generation) handle(JSON.parse(event.data));
    });
    socket.addEventListener('close', (event) => {
      if (generation !== this.generation) return;
      this.options.onDown();
      if (refused && !this.tokenRefreshed) {
        // An access token that expired while the page was open: refresh it once and connect again.
        this.tokenRefreshed = true;
        this.account.refresh().then(
          () => this.connect(),
          () => this.options.onSessionEnded(),
        );
      } else if (refused) this.options.onSessionEnded();
      else this.retryLater(event.code);
    });
  }

  /** The server has taken this socket in: the next drop starts the backoff from the first delay again. */
  established() {
    this.attempt = 0;
    this.tokenRefreshed = false;
  }

  send(message) {
    this.socket.send(JSON.stringify(message));
  }

  stop() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.generation += 1;
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close();
  }

  retryLater(closeCode) {
    this.attempt += 1;
    const delay = reconnectDelay(this.attempt, this.options.firstRetryMs, this.options.maxRetryMs);
    this.generation += 1;
    this.socket = null;
    this.options.onRetry(closeCode, this.attempt, delay);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
