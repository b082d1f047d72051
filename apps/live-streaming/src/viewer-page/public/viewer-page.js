/* global document, location, fetch, WebSocket, setInterval, clearInterval */
// The viewer page. /watch lists the live streams (public GET /streams/live, which the browser revalidates with
// its ETag); /watch/<streamId> shows one stream: the viewer signs in, the page loads the stream, joins its chat
// on WebSocket /chat (the access token goes in the first message, never in the URL), sends a heartbeat every
// `heartbeatSeconds` the server asks for (that is what keeps this viewer counted) and reads the viewer count on
// the same tick. An ended stream links to its recording at /watch/archive/<streamId>, also when it ends while
// the page is open (the room is told).
// An ES module with no build step; the sign-in, the status line and the reconnecting socket are the page kit's
// (/page-kit/page-kit.js, shared with the other apps' pages). Every value goes into the page through
// textContent.
import {
  Account,
  HttpError,
  ReconnectingSocket,
  byId,
  element,
  say,
  wireAccountHeader,
} from '/page-kit/page-kit.js';

const LIVE_PAGE_SIZE = 20;
const MESSAGES_KEPT = 200;
const SESSION_ENDED = 'Your session has ended: sign in again to watch.';

const segments = location.pathname.split('/').filter(Boolean);
const streamId = segments.length === 2 ? decodeURIComponent(segments[1]).toLowerCase() : null;
const body = document.body;
const chatForm = byId('chat-form');
const chatText = byId('chat-text');
const messagesEl = byId('messages');

const account = new Account('live-streaming:session');
/** The heartbeat while joined: it keeps this viewer counted and reads the count on the same tick. */
let tick = null;
/** The chat connection: one socket at a time, back after a drop. */
const chat = new ReconnectingSocket(account, {
  path: '/chat',
  firstRetryMs: 500,
  maxRetryMs: 30000,
  onConnecting() {
    if (body.dataset.chat !== 'reconnecting') body.dataset.chat = 'connecting';
  },
  onFrame: handleFrame,
  onDown() {
    clearInterval(tick);
    tick = null;
    setChatEnabled(false);
  },
  onRetry(closeCode, attempt) {
    body.dataset.chat = 'reconnecting';
    say(
      'Chat disconnected (' +
        closeCode +
        ') — reconnecting (attempt ' +
        attempt +
        '). The count may be out of date.',
      true,
    );
  },
  onSessionEnded() {
    signedOut(SESSION_ENDED);
  },
});
const shownMessages = new Set();

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function signedOut(message) {
  stopChat();
  account.keep(null);
  body.dataset.chat = 'idle';
  say(message, false);
}

wireAccountHeader(account, {
  signedIn: start,
  signedOut() {
    signedOut('Signed out.');
    if (streamId) say('Signed out. Sign in to watch this stream and join its chat.', false);
  },
});

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
  account
    .api('stream', '/streams/' + encodeURIComponent(streamId))
    .then(function (stream) {
      showStream(stream);
      if (stream.status === 'ended') return showEnded();
      byId('ended').hidden = true;
      byId('live-part').hidden = false;
      chat.connect();
    })
    .catch(function (error) {
      if (error.status === 401) signedOut(SESSION_ENDED);
      else if (error.status === 404) say('There is no stream with this address.', true);
      else say('Could not load the stream (' + error.message + ').', true);
    });
}

function refreshViewerCount() {
  return account
    .api('viewer count', '/streams/' + encodeURIComponent(streamId) + '/viewers')
    .then(function (count) {
      byId('viewer-count').textContent = String(count.viewers);
      byId('viewer-noun').textContent = 'watching';
    })
    .catch(function (error) {
      if (error.status === 401) signedOut(SESSION_ENDED);
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
  chat.stop();
  clearInterval(tick);
  tick = null;
  setChatEnabled(false);
}

function handleFrame(frame) {
  if (frame.type === 'authenticated') chat.send({ type: 'join', streamId: streamId });
  else if (frame.type === 'joined') joined(frame);
  else if (frame.type === 'message') showMessage(frame);
  else if (frame.type === 'ended') showEnded();
  else if (frame.type === 'error') chatError(frame);
}

function joined(frame) {
  chat.established();
  body.dataset.chat = 'joined';
  frame.recent.forEach(showMessage);
  setChatEnabled(true);
  say('Watching. You are in the chat.', false);
  // The heartbeat is what keeps this viewer counted; the count is read on the same tick.
  clearInterval(tick);
  tick = setInterval(function () {
    if (chat.socket && chat.socket.readyState === WebSocket.OPEN) chat.send({ type: 'heartbeat' });
    refreshViewerCount();
  }, frame.heartbeatSeconds * 1000);
  refreshViewerCount();
}

function chatError(frame) {
  if (frame.code === 'stream-not-live') return loadStream();
  if (frame.code === 'rate-limited')
    return say(
      'Slow down: you can send again in ' + ((frame.details && frame.details.retryAfterSeconds) || 1) + ' s.',
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

chatForm.onsubmit = function (event) {
  event.preventDefault();
  var text = chatText.value;
  if (!chat.socket || text.trim() === '') return;
  chat.send({ type: 'send', text: text });
  chatText.value = '';
  say('Watching. You are in the chat.', false);
};

// ---- start ---------------------------------------------------------------------------------------------------

function start() {
  if (streamId === null) return say('Signed in. Choose a stream to watch.', false);
  if (account.session === null) {
    say('Sign in to watch this stream and join its chat.', false);
    byId('email').focus();
    return;
  }
  loadStream();
}

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
