/* global document, location, fetch, WebSocket, sessionStorage, setTimeout, clearTimeout, setInterval, clearInterval */
// The viewer page. /watch lists the live streams (public GET /streams/live, which the browser revalidates with
// its ETag); /watch/<streamId> shows one stream: the viewer signs in, the page loads the stream, joins its chat
// on WebSocket /chat (the access token goes in the first message, never in the URL), sends a heartbeat every
// `heartbeatSeconds` the server asks for (that is what keeps this viewer counted) and reads the viewer count on
// the same tick. An ended stream links to its recording at /watch/archive/<streamId>, also when it ends while
// the page is open (the room is told).
// No framework, no build step; every value goes into the page through textContent. The session lives in this
// tab's sessionStorage (it survives going from the list to a stream, ends with the tab) and never in a URL.
(function () {
  'use strict';
  var SESSION_KEY = 'live-streaming:session';
  var LIVE_PAGE_SIZE = 20;
  var MESSAGES_KEPT = 200;
  var RETRY_BASE_MS = 500;
  var RETRY_MAX_MS = 30000;

  var segments = location.pathname.split('/').filter(Boolean);
  var streamId = segments.length === 2 ? decodeURIComponent(segments[1]).toLowerCase() : null;
  var body = document.body;
  var statusEl = document.getElementById('status');
  var signInForm = document.getElementById('sign-in');
  var chatForm = document.getElementById('chat-form');
  var chatText = document.getElementById('chat-text');
  var messagesEl = document.getElementById('messages');

  var session = readSession();
  var refreshing = null;
  /** The chat connection: one socket at a time; `generation` discards events of sockets already given up. */
  var chat = { socket: null, generation: 0, attempt: 0, retryTimer: null, tick: null, authRetried: false };
  var shownMessages = new Set();

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
    return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function HttpError(what, status) {
    this.message = what + ': HTTP ' + status;
    this.status = status;
  }

  // ---- the session (sessionStorage, this tab only) --------------------------------------------------------------

  function readSession() {
    try {
      var stored = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
      return stored && stored.accessToken && stored.refreshToken ? stored : null;
    } catch {
      return null;
    }
  }

  function keepSession(next) {
    session = next;
    if (next) sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(SESSION_KEY);
    renderAccount();
  }

  function renderAccount() {
    signInForm.hidden = session !== null;
    byId('account').hidden = session === null;
    byId('who').textContent = session ? session.email : '';
  }

  /** A refresh token is single-use: concurrent 401s share one refresh. */
  function refreshSession() {
    if (!refreshing)
      refreshing = fetch('/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      })
        .then(function (response) {
          if (!response.ok) throw new HttpError('session', 401);
          return response.json();
        })
        .then(function (tokens) {
          keepSession({
            accessToken: tokens.accessToken,
            refreshToken: tokens.refreshToken,
            email: session.email,
          });
        })
        .finally(function () {
          refreshing = null;
        });
    return refreshing;
  }

  /** A member API call; an expired access token is refreshed once and the call sent again. */
  function api(what, path) {
    function send() {
      return fetch(path, { headers: { authorization: 'Bearer ' + session.accessToken } });
    }
    return send()
      .then(function (response) {
        return response.status === 401 && session ? refreshSession().then(send) : response;
      })
      .then(function (response) {
        if (!response.ok) throw new HttpError(what, response.status);
        return response.json();
      });
  }

  function signedOut(message) {
    stopChat();
    keepSession(null);
    body.dataset.chat = 'idle';
    say(message, false);
  }

  signInForm.onsubmit = function (event) {
    event.preventDefault();
    var email = byId('email').value;
    say('Signing in…', false);
    fetch('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: email, password: byId('password').value }),
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
        keepSession({
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken,
          email: tokens.user.email,
        });
        start();
      })
      .catch(function (error) {
        say(String(error.message || error), true);
      });
  };

  byId('sign-out').onclick = function () {
    var refreshToken = session && session.refreshToken;
    signedOut('Signed out.');
    if (refreshToken)
      fetch('/auth/logout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: refreshToken }),
      }).catch(function () {
        // The refresh token left this tab either way; it expires on its own.
      });
    if (streamId) say('Signed out. Sign in to watch this stream and join its chat.', false);
  };

  // ---- the live list --------------------------------------------------------------------------------------------

  function streamItem(stream) {
    var item = element('li');
    item.dataset.streamId = stream.id;
    var link = element('a', '', stream.title);
    link.href = '/watch/' + encodeURIComponent(stream.id);
    item.appendChild(link);
    item.appendChild(
      element(
        'div',
        'meta',
        stream.streamer.displayName +
          ' (@' +
          stream.streamer.username +
          ') · ' +
          stream.category +
          ' · live since ' +
          clock(stream.startedAt),
      ),
    );
    return item;
  }

  /** One keyset page of live streams; `cursor` null starts the list again. */
  function loadLive(cursor) {
    var list = byId('live-streams');
    var more = byId('more-live');
    say('Loading live streams…', false);
    // Public and cacheable: no token, so every viewer shares the CDN's and the browser's copy.
    fetch('/streams/live?limit=' + LIVE_PAGE_SIZE + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''))
      .then(function (response) {
        if (!response.ok) throw new HttpError('live streams', response.status);
        return response.json();
      })
      .then(function (page) {
        if (!cursor) list.textContent = '';
        page.data.forEach(function (stream) {
          list.appendChild(streamItem(stream));
        });
        more.hidden = !page.pagination.hasMore;
        more.onclick = function () {
          loadLive(page.pagination.nextCursor);
        };
        var shown = list.children.length;
        say(
          shown === 0
            ? 'Nobody is live right now.'
            : shown + (shown === 1 ? ' stream is' : ' streams are') + ' live. Choose one to watch.',
          false,
        );
      })
      .catch(function (error) {
        say('Could not load the live streams (' + error.message + '). Try again.', true);
      });
  }

  // ---- one stream -----------------------------------------------------------------------------------------------

  function showStream(stream) {
    byId('stream-title').textContent = stream.title;
    document.title = stream.title + ' — LiveStream Pro';
    byId('stream-meta').textContent =
      stream.streamer.displayName +
      ' (@' +
      stream.streamer.username +
      ') · ' +
      stream.category +
      (stream.status === 'live' ? ' · live since ' : ' · started ') +
      clock(stream.startedAt);
  }

  /** The stream is over: no chat, no count, a link to its recording (another page plays it). */
  function showEnded() {
    stopChat();
    body.dataset.chat = 'ended';
    byId('live-part').hidden = true;
    byId('ended').hidden = false;
    byId('archive-link').href = '/watch/archive/' + encodeURIComponent(streamId);
    say('This stream has ended.', false);
  }

  function loadStream() {
    say('Loading the stream…', false);
    api('stream', '/streams/' + encodeURIComponent(streamId))
      .then(function (stream) {
        showStream(stream);
        if (stream.status === 'ended') return showEnded();
        byId('ended').hidden = true;
        byId('live-part').hidden = false;
        connectChat();
      })
      .catch(function (error) {
        if (error.status === 401) signedOut('Your session has ended: sign in again to watch.');
        else if (error.status === 404) say('There is no stream with this address.', true);
        else say('Could not load the stream (' + error.message + ').', true);
      });
  }

  function refreshViewerCount() {
    return api('viewer count', '/streams/' + encodeURIComponent(streamId) + '/viewers')
      .then(function (count) {
        byId('viewer-count').textContent = String(count.viewers);
        byId('viewer-noun').textContent = 'watching';
      })
      .catch(function (error) {
        if (error.status === 401) signedOut('Your session has ended: sign in again to watch.');
        // Otherwise the last count stays up; the next tick tries again.
      });
  }

  function showMessage(message) {
    if (shownMessages.has(message.id)) return;
    shownMessages.add(message.id);
    var item = element('li');
    item.dataset.messageId = message.id;
    var time = element('time', '', clock(message.sentAt));
    time.dateTime = message.sentAt;
    item.appendChild(time);
    item.appendChild(document.createTextNode(' '));
    item.appendChild(element('span', 'author', message.username || 'member ' + message.userId.slice(0, 8)));
    item.appendChild(document.createTextNode(': '));
    item.appendChild(element('span', 'text', message.text));
    var atBottom = messagesEl.scrollHeight - messagesEl.scrollTop - messagesEl.clientHeight < 40;
    messagesEl.appendChild(item);
    while (messagesEl.children.length > MESSAGES_KEPT) {
      shownMessages.delete(messagesEl.firstElementChild.dataset.messageId);
      messagesEl.removeChild(messagesEl.firstElementChild);
    }
    if (atBottom) messagesEl.scrollTop = messagesEl.scrollHeight;
  }

  function setChatEnabled(enabled) {
    chatText.disabled = !enabled;
    chatForm.querySelector('button').disabled = !enabled;
  }

  // ---- the chat socket -------------------------------------------------------------------------------------------

  function stopChat() {
    clearTimeout(chat.retryTimer);
    clearInterval(chat.tick);
    chat.retryTimer = null;
    chat.tick = null;
    chat.generation += 1;
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
    if (body.dataset.chat !== 'reconnecting') body.dataset.chat = 'connecting';
    var socket = new WebSocket(
      (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/chat',
    );
    chat.socket = socket;
    var authFailed = false;
    socket.onopen = function () {
      socket.send(JSON.stringify({ type: 'auth', token: session.accessToken }));
    };
    socket.onmessage = function (event) {
      if (generation !== chat.generation) return;
      var frame = JSON.parse(event.data);
      // Room frames arriving within the server's frame window come as one batch, in order.
      if (frame.type === 'batch') frame.messages.forEach(handleFrame);
      else handleFrame(frame);
    };
    function handleFrame(frame) {
      if (frame.type === 'authenticated') socket.send(JSON.stringify({ type: 'join', streamId: streamId }));
      else if (frame.type === 'joined') joined(frame);
      else if (frame.type === 'message') showMessage(frame);
      else if (frame.type === 'ended') showEnded();
      else if (frame.type === 'error') {
        if (frame.code === 'auth-failed' || frame.code === 'auth-timeout') authFailed = true;
        else chatError(frame);
      }
    }
    socket.onclose = function (event) {
      if (generation !== chat.generation) return;
      clearInterval(chat.tick);
      chat.tick = null;
      setChatEnabled(false);
      // An access token that expired while the page was open: refresh it once and connect again.
      if (authFailed && !chat.authRetried) {
        chat.authRetried = true;
        refreshSession().then(connectChat, function () {
          signedOut('Your session has ended: sign in again to watch.');
        });
        return;
      }
      retryLater(event.code);
    };
  }

  function joined(frame) {
    chat.attempt = 0;
    chat.authRetried = false;
    body.dataset.chat = 'joined';
    frame.recent.forEach(showMessage);
    setChatEnabled(true);
    say('Watching. You are in the chat.', false);
    // The heartbeat is what keeps this viewer counted; the count is read on the same tick.
    clearInterval(chat.tick);
    chat.tick = setInterval(function () {
      if (chat.socket && chat.socket.readyState === WebSocket.OPEN)
        chat.socket.send(JSON.stringify({ type: 'heartbeat' }));
      refreshViewerCount();
    }, frame.heartbeatSeconds * 1000);
    refreshViewerCount();
  }

  function chatError(frame) {
    if (frame.code === 'stream-not-live') return loadStream();
    if (frame.code === 'rate-limited')
      return say(
        'Slow down: you can send again in ' +
          ((frame.details && frame.details.retryAfterSeconds) || 1) +
          ' s.',
        true,
      );
    if (frame.code === 'invalid-message' && frame.details)
      return say(
        'Message not sent: ' +
          frame.details
            .map(function (detail) {
              return detail.problems.join(', ');
            })
            .join('; '),
        true,
      );
    say('Chat: ' + (frame.message || frame.code), true);
  }

  /**
   * Exponential backoff with jitter, so a restarted instance is not met by every open page at once. 1013 is an
   * instance at its connection limit: the next attempt may reach another one.
   */
  function retryLater(closeCode) {
    chat.attempt += 1;
    var ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * Math.pow(2, chat.attempt - 1));
    var delay = ceiling / 2 + Math.random() * (ceiling / 2);
    body.dataset.chat = 'reconnecting';
    say(
      'Chat disconnected (' +
        closeCode +
        ') — reconnecting (attempt ' +
        chat.attempt +
        '). The count may be out of date.',
      true,
    );
    chat.generation += 1;
    chat.socket = null;
    chat.retryTimer = setTimeout(connectChat, delay);
  }

  chatForm.onsubmit = function (event) {
    event.preventDefault();
    var text = chatText.value;
    if (!chat.socket || text.trim() === '') return;
    chat.socket.send(JSON.stringify({ type: 'send', text: text }));
    chatText.value = '';
    say('Watching. You are in the chat.', false);
  };

  // ---- start ---------------------------------------------------------------------------------------------------

  function start() {
    if (streamId === null) return say('Signed in. Choose a stream to watch.', false);
    if (session === null) {
      say('Sign in to watch this stream and join its chat.', false);
      byId('email').focus();
      return;
    }
    loadStream();
  }

  renderAccount();
  if (streamId === null) {
    byId('live-view').hidden = false;
    byId('refresh-live').onclick = function () {
      loadLive(null);
    };
    loadLive(null);
  } else {
    byId('stream-view').hidden = false;
    start();
  }
})();
