/* global document, location, navigator, fetch, WebSocket, sessionStorage, setTimeout, clearTimeout, crypto */
// The session page. /room lists the caller's sessions; /room/<sessionId> is one session: the participant signs
// in, picks the language they read it in and joins (POST /sessions/:id/participants, idempotent), and the page
// opens WebSocket /chat (the access token goes in the first message, never in the URL), joins the session's
// rooms and shows everyone's messages in that language and the speech captions. A message the participant sends
// shows at once as "sending", then "pending" when the server has stored it (its translations are being made),
// then "delivered" when the worker has delivered it in every language; others' messages arrive already
// translated. A dropped socket is reconnected with exponential backoff and jitter, and the connection's state is
// always in sight.
// No framework, no build step; every value goes into the page through textContent. The session lives in this
// tab's sessionStorage (it survives going from the list to a session, ends with the tab) and never in a URL.
(function () {
  'use strict';
  var SESSION_KEY = 'translation:session';
  var LANGUAGE_KEY_PREFIX = 'translation:language:';
  var LANGUAGE_PATTERN = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$/;
  var SESSIONS_PAGE_SIZE = 20;
  var MESSAGES_KEPT = 200;
  var CAPTIONS_KEPT = 6;
  var RETRY_BASE_MS = 500;
  var RETRY_MAX_MS = 15000;

  var segments = location.pathname.split('/').filter(Boolean);
  var sessionId = segments.length === 2 ? decodeURIComponent(segments[1]).toLowerCase() : null;
  var body = document.body;
  var statusEl = document.getElementById('status');
  var connectionEl = document.getElementById('connection');
  var signInForm = document.getElementById('sign-in');
  var languageForm = document.getElementById('language-form');
  var languageInput = document.getElementById('language');
  var chatForm = document.getElementById('chat-form');
  var chatText = document.getElementById('chat-text');
  var messagesEl = document.getElementById('messages');
  var captionsEl = document.getElementById('captions');

  var auth = readAuth();
  var refreshing = null;
  /** The language this participant reads the session in, once joined (the server's answer, not the input's). */
  var language = null;
  /**
   * The chat connection: one socket at a time; `generation` discards events of sockets already given up;
   * `joined` once the server has put the socket in the session's rooms; `downSince` while it is not.
   */
  var chat = {
    socket: null,
    generation: 0,
    attempt: 0,
    retryTimer: null,
    authRetried: false,
    joined: false,
    downSince: null,
  };
  /** Message items by the server's messageId, and this participant's own by their clientMessageId. */
  var byMessageId = new Map();
  var ownByClientId = new Map();
  var captionByKey = new Map();

  // ---- small helpers --------------------------------------------------------------------------------------------

  function byId(id) {
    return document.getElementById(id);
  }

  function element(tag, className, content) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (content !== undefined) el.textContent = content;
    return el;
  }

  function say(message, isProblem) {
    statusEl.textContent = message;
    if (isProblem) body.dataset.problem = 'true';
    else delete body.dataset.problem;
  }

  function clock(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function randomId(prefix) {
    return prefix + crypto.randomUUID();
  }

  function HttpError(what, status, problem) {
    this.message = what + ': HTTP ' + status + (problem ? ' (' + problem + ')' : '');
    this.status = status;
  }

  /** The error body's field details in words, for a 400. */
  function problemOf(errorBody) {
    if (!errorBody || !Array.isArray(errorBody.details)) return errorBody && errorBody.message;
    return errorBody.details
      .map(function (detail) {
        return detail.field + ' ' + detail.problems.join(', ');
      })
      .join('; ');
  }

  // ---- the sign-in (sessionStorage, this tab only) --------------------------------------------------------------

  function readAuth() {
    try {
      var stored = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
      return stored && stored.accessToken && stored.refreshToken && stored.userId ? stored : null;
    } catch {
      return null;
    }
  }

  function keepAuth(next) {
    auth = next;
    if (next) sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(SESSION_KEY);
    renderAccount();
  }

  function renderAccount() {
    signInForm.hidden = auth !== null;
    byId('account').hidden = auth === null;
    byId('who').textContent = auth ? auth.email : '';
  }

  /** A refresh token is single-use: concurrent 401s share one refresh. */
  function refreshAuth() {
    if (!refreshing)
      refreshing = fetch('/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: auth.refreshToken }),
      })
        .then(function (response) {
          if (!response.ok) throw new HttpError('session', 401);
          return response.json();
        })
        .then(function (tokens) {
          keepAuth({
            accessToken: tokens.accessToken,
            refreshToken: tokens.refreshToken,
            email: auth.email,
            userId: auth.userId,
          });
        })
        .finally(function () {
          refreshing = null;
        });
    return refreshing;
  }

  /** A member API call; an expired access token is refreshed once and the call sent again. */
  function api(what, path, options) {
    options = options || {};
    function send() {
      var headers = Object.assign({ authorization: 'Bearer ' + auth.accessToken }, options.headers);
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      return fetch(path, {
        method: options.method || 'GET',
        headers: headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    }
    return send()
      .then(function (response) {
        return response.status === 401 && auth ? refreshAuth().then(send) : response;
      })
      .then(function (response) {
        if (response.ok) return response.json();
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (errorBody) {
            throw new HttpError(what, response.status, problemOf(errorBody));
          });
      });
  }

  function signedOut(message) {
    stopChat();
    keepAuth(null);
    byId('room').hidden = true;
    showConnection('offline', 'Not connected');
    say(message, false);
  }

  signInForm.onsubmit = function (event) {
    event.preventDefault();
    say('Signing in…', false);
    fetch('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: byId('email').value, password: byId('password').value }),
    })
      .then(function (response) {
        if (response.status === 401) throw new Error('Sign-in failed: wrong e-mail or password');
        if (response.status === 429)
          throw new Error('Too many sign-in attempts: wait a moment and try again');
        if (!response.ok) throw new Error('Sign-in failed: HTTP ' + response.status);
        return response.json();
      })
      .then(function (tokens) {
        byId('password').value = '';
        keepAuth({
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken,
          email: tokens.user.email,
          userId: tokens.user.id,
        });
        start();
      })
      .catch(function (error) {
        say(String(error.message || error), true);
      });
  };

  byId('sign-out').onclick = function () {
    var refreshToken = auth && auth.refreshToken;
    signedOut('Signed out.');
    if (refreshToken)
      fetch('/auth/logout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: refreshToken }),
      }).catch(function () {
        // The refresh token left this tab either way; it expires on its own.
      });
  };

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
    api(
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
        say(
          list.children.length === 0 ? 'Your organisation has no sessions yet.' : 'Choose a session.',
          false,
        );
      })
      .catch(function (error) {
        if (error.status === 401) signedOut('Your sign-in has ended: sign in again.');
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
    api('session', '/sessions/' + encodeURIComponent(sessionId))
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
        if (error.status === 401) signedOut('Your sign-in has ended: sign in again.');
        else if (error.status === 404)
          say('There is no session with this address in your organisation.', true);
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
      return say(
        '"' + wanted + '" is not a language tag: use one such as en, de, ja, pt-BR or zh-Hans.',
        true,
      );
    say('Joining in ' + wanted + '…', false);
    api('join', '/sessions/' + encodeURIComponent(sessionId) + '/participants', {
      method: 'POST',
      body: { language: wanted },
      headers: { 'idempotency-key': randomId('join-') },
    })
      .then(function (participant) {
        sessionStorage.setItem(languageKey(), participant.language);
        byId('join').textContent = 'Change language';
        byId('room').hidden = false;
        if (chat.socket && chat.joined)
          chat.socket.send(JSON.stringify({ type: 'join', sessionId: sessionId }));
        else if (!chat.socket) connectChat();
      })
      .catch(function (error) {
        if (error.status === 401) signedOut('Your sign-in has ended: sign in again.');
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
    chat.socket.send(
      JSON.stringify({
        type: 'message',
        text: item.dataset.sentText,
        clientMessageId: item.dataset.clientMessageId,
      }),
    );
  }

  chatForm.onsubmit = function (event) {
    event.preventDefault();
    var text = chatText.value;
    if (!chat.joined || text.trim() === '') return;
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
    var own = frame.authorId === auth.userId;
    var item =
      byMessageId.get(frame.messageId) || (own ? ownByClientId.get(frame.clientMessageId) : undefined);
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
    clearTimeout(chat.retryTimer);
    chat.retryTimer = null;
    chat.generation += 1;
    chat.joined = false;
    setChatEnabled(false);
    var socket = chat.socket;
    chat.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close();
    }
  }

  function connectChat() {
    stopChat();
    var generation = chat.generation;
    if (chat.downSince === null) showConnection('connecting', 'Connecting…');
    else
      showConnection(
        'reconnecting',
        'Disconnected since ' + clock(chat.downSince) + ' — reconnecting (attempt ' + chat.attempt + ')…',
      );
    var socket = new WebSocket(
      (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/chat',
    );
    chat.socket = socket;
    var authFailed = false;
    socket.onopen = function () {
      socket.send(JSON.stringify({ type: 'auth', token: auth.accessToken }));
    };
    socket.onmessage = function (event) {
      if (generation !== chat.generation) return;
      handleFrame(JSON.parse(event.data));
    };
    function handleFrame(frame) {
      // Room frames arriving within the server's frame window (CHAT_FRAME_WINDOW_MS) come as one batch, in order.
      if (frame.type === 'batch') frame.messages.forEach(handleFrame);
      else if (frame.type === 'authenticated')
        socket.send(JSON.stringify({ type: 'join', sessionId: sessionId }));
      else if (frame.type === 'joined') joined(frame);
      else if (frame.type === 'pending') pending(frame);
      else if (frame.type === 'message') showMessage(frame);
      else if (frame.type === 'caption') showCaption(frame);
      else if (frame.type === 'notice') showNotice(frame);
      else if (frame.type === 'error') {
        if (frame.code === 'auth-failed' || frame.code === 'auth-timeout') authFailed = true;
        else chatError(frame);
      }
    }
    socket.onclose = function (event) {
      if (generation !== chat.generation) return;
      chat.joined = false;
      setChatEnabled(false);
      // Sent and stored, not yet seen delivered: its delivery may go out while no socket listens.
      ownByClientId.forEach(function (item) {
        if (item.dataset.state === 'pending') setState(item, 'sent');
      });
      // An access token that expired while the page was open: refresh it once and connect again.
      if (authFailed && !chat.authRetried) {
        chat.authRetried = true;
        refreshAuth().then(connectChat, function () {
          signedOut('Your sign-in has ended: sign in again to rejoin.');
        });
        return;
      }
      if (authFailed) return signedOut('Your sign-in has ended: sign in again to rejoin.');
      retryLater(event.code);
    };
  }

  function joined(frame) {
    chat.attempt = 0;
    chat.authRetried = false;
    chat.joined = true;
    chat.downSince = null;
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

  /**
   * Exponential backoff with jitter, so a restarted instance is not met by every open page at once. 1012 is an
   * instance shutting down and 1013 one at its connection limit: the next attempt may reach another instance.
   */
  function retryLater(closeCode) {
    chat.attempt += 1;
    if (chat.downSince === null) chat.downSince = new Date().toISOString();
    var ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * Math.pow(2, chat.attempt - 1));
    var delay = ceiling / 2 + Math.random() * (ceiling / 2);
    showConnection(
      'reconnecting',
      'Disconnected since ' +
        clock(chat.downSince) +
        ' (' +
        closeCode +
        ') — reconnecting in ' +
        (delay / 1000).toFixed(1) +
        ' s (attempt ' +
        chat.attempt +
        ').',
    );
    chat.generation += 1;
    chat.socket = null;
    chat.retryTimer = setTimeout(connectChat, delay);
  }

  // ---- start ---------------------------------------------------------------------------------------------------

  function start() {
    if (auth === null) {
      say(sessionId === null ? 'Sign in to see your sessions.' : 'Sign in to join this session.', false);
      byId('email').focus();
      return;
    }
    if (sessionId === null) loadSessions(null);
    else loadSession();
  }

  renderAccount();
  if (sessionId === null) byId('sessions-view').hidden = false;
  else byId('session-view').hidden = false;
  languageForm.hidden = true;
  start();
})();
