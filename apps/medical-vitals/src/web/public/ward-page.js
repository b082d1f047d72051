/* global document, location, fetch, WebSocket, setTimeout, setInterval */
// The live ward page: the nurse signs in, then the page subscribes to the ward on /live, loads the ward's state
// over REST (name, active patients with their latest vitals, open alerts) and follows /live from there. When the
// connection drops it says so, retries with exponential backoff and jitter, and reloads the state when it is back.
// No framework, no build step; every value goes into the page through textContent. The session tokens live only
// in this script's memory (never in the URL or storage).
(function () {
  'use strict';
  var wardId = decodeURIComponent(location.pathname.split('/').pop() || '');
  var body = document.body;
  // Set by the server from the devices' reporting interval (config DEVICE_REPORT_INTERVAL_SECONDS).
  var staleAfterMs = Number(body.dataset.staleAfterSeconds) * 1000;
  if (!(staleAfterMs > 0)) throw new Error('ward page: data-stale-after-seconds is missing');
  var RETRY_BASE_MS = 500;
  var RETRY_MAX_MS = 30000;
  var VITALS = [
    { field: 'heartRate', unit: 'bpm' },
    { field: 'spo2', unit: '%' },
    { field: 'bp', unit: 'mmHg' },
    { field: 'temperature', unit: '°C' },
  ];
  var METRICS = {
    heart_rate: { field: 'heartRate', label: 'heart rate', unit: 'bpm' },
    spo2: { field: 'spo2', label: 'SpO₂', unit: '%' },
    systolic: { field: 'bp', label: 'systolic BP', unit: 'mmHg' },
    diastolic: { field: 'bp', label: 'diastolic BP', unit: 'mmHg' },
    temperature: { field: 'temperature', label: 'temperature', unit: '°C' },
  };

  var statusEl = document.getElementById('status');
  var tbody = document.getElementById('patients');
  var alertList = document.getElementById('alerts');
  var form = document.getElementById('sign-in');
  /** patient id → { id, name, mrn, row, latest, seen } */
  var patients = new Map();
  /** alert id → { alert, item, liveOn } (open alerts only) */
  var alerts = new Map();
  /**
   * alert id → the connection that pushed its clearing. The snapshot (read a moment earlier) or a raise that
   * another instance pushed late may still bring that alert; it stays off the page.
   */
  var cleared = new Map();
  var session = { accessToken: null, refreshToken: null, refreshing: null };
  var link = { state: 'signed-out', since: null, attempt: 0, generation: 0, socket: null, message: null };
  var retryTimer = null;
  var rowOrder = [];

  // ---- time and text -------------------------------------------------------------------------------------------

  function clock(date) {
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  /** Time of day for today's readings; the date as well for anything older, so yesterday never reads as now. */
  function when(iso) {
    var date = new Date(iso);
    var time = date.toLocaleTimeString();
    return date.toDateString() === new Date().toDateString() ? time : date.toLocaleDateString() + ' ' + time;
  }

  function age(ms) {
    var seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds < 60) return seconds + ' s';
    var minutes = Math.floor(seconds / 60);
    if (minutes < 120) return minutes + ' min';
    var hours = Math.floor(minutes / 60);
    return hours < 48 ? hours + ' h' : Math.floor(hours / 24) + ' days';
  }

  function text(value) {
    return value === null || value === undefined ? '–' : String(value);
  }

  /** Writes only changes: the page re-renders every second, and unchanged text should stay untouched. */
  function setText(el, value) {
    if (el.textContent !== value) el.textContent = value;
  }

  function element(tag, className, content) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (content !== undefined) el.textContent = content;
    return el;
  }

  // ---- patients --------------------------------------------------------------------------------------------------

  function cell(row, name) {
    return row.querySelector('[data-field="' + name + '"]');
  }

  function patientFor(id, summary) {
    var patient = patients.get(id);
    if (!patient) {
      patient = { id: id, name: null, mrn: null, row: buildRow(id), latest: null, seen: 0 };
      patients.set(id, patient);
    }
    if (summary) {
      patient.name = summary.name;
      patient.mrn = summary.mrn;
    }
    setText(cell(patient.row, 'name'), patient.name || 'patient ' + id.slice(0, 8));
    setText(cell(patient.row, 'mrn'), patient.mrn || '');
    return patient;
  }

  function buildRow(id) {
    var row = document.createElement('tr');
    row.dataset.patientId = id;
    ['name', 'mrn', 'state'].forEach(function (name) {
      var td = document.createElement('td');
      td.dataset.field = name;
      row.appendChild(td);
    });
    // A vital cell: the value (data-field, what tests and the V-03 proof read), its unit, and an alarm flag.
    VITALS.forEach(function (vital) {
      var td = element('td', 'num');
      td.dataset.vital = vital.field;
      var value = element('span', '', '–');
      value.dataset.field = vital.field;
      td.appendChild(value);
      td.appendChild(element('span', 'unit', ' ' + vital.unit));
      var flag = element('span', 'flag', '');
      flag.dataset.flag = vital.field;
      td.appendChild(flag);
      row.appendChild(td);
    });
    ['recordedAt', 'openAlerts'].forEach(function (name) {
      var td = element('td', 'num');
      td.dataset.field = name;
      row.appendChild(td);
    });
    return row;
  }

  /** Shows a reading unless the row already has a newer one (a snapshot can land after a pushed reading). */
  function show(reading) {
    var patient = patientFor(reading.patientId);
    if (patient.latest && Date.parse(patient.latest.recordedAt) > Date.parse(reading.recordedAt)) return;
    patient.latest = reading;
    var row = patient.row;
    cell(row, 'heartRate').textContent = text(reading.heartRate);
    cell(row, 'spo2').textContent = text(reading.spo2);
    cell(row, 'bp').textContent = text(reading.systolic) + '/' + text(reading.diastolic);
    cell(row, 'temperature').textContent = text(reading.temperature);
  }

  function stateOf(patient, now) {
    var open = openAlertsOf(patient.id);
    var fresh = patient.latest !== null && now - Date.parse(patient.latest.recordedAt) <= staleAfterMs;
    return {
      alerts: open,
      fresh: fresh,
      group: open.length > 0 ? 0 : fresh ? 2 : 1,
    };
  }

  function openAlertsOf(patientId) {
    var open = [];
    alerts.forEach(function (entry) {
      if (entry.alert.patientId === patientId) open.push(entry.alert);
    });
    return open;
  }

  /** State text, alarm flags, freshness: words on screen, so nothing depends on seeing the colours. */
  function renderPatient(patient, state, now) {
    var row = patient.row;
    var words = [];
    if (state.alerts.length > 0) words.push('ALARM');
    if (patient.latest === null) words.push('NO DATA');
    else if (!state.fresh)
      words.push('STALE: no reading for ' + age(now - Date.parse(patient.latest.recordedAt)));
    if (words.length === 0) words.push('OK');
    setText(cell(row, 'state'), words.join(' · '));
    row.dataset.state = state.alerts.length > 0 ? 'alerting' : state.fresh ? 'normal' : 'stale';
    row.className = row.dataset.state;
    setText(cell(row, 'openAlerts'), String(state.alerts.length));
    VITALS.forEach(function (vital) {
      var flags = state.alerts
        .filter(function (alert) {
          return (METRICS[alert.metric] || {}).field === vital.field;
        })
        .map(function (alert) {
          return (alert.value > alert.threshold ? '▲ HIGH' : '▼ LOW') + ' ' + METRICS[alert.metric].label;
        });
      var flag = row.querySelector('[data-flag="' + vital.field + '"]');
      setText(flag, flags.length > 0 ? ' ' + flags.join(', ') : '');
      flag.parentNode.className = flags.length > 0 ? 'num alarming' : 'num';
    });
    if (patient.latest !== null)
      setText(
        cell(row, 'recordedAt'),
        when(patient.latest.recordedAt) + ' (' + age(now - Date.parse(patient.latest.recordedAt)) + ' ago)',
      );
  }

  function byName(a, b) {
    var x = a.name || a.id;
    var y = b.name || b.id;
    return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1;
  }

  /** Alerting patients first, then stale ones, then the rest; rows move only when the order changes. */
  function render() {
    var now = Date.now();
    var streaming = 0;
    var ordered = [];
    patients.forEach(function (patient) {
      var state = stateOf(patient, now);
      if (state.fresh) streaming += 1;
      renderPatient(patient, state, now);
      ordered.push({ patient: patient, group: state.group });
    });
    ordered.sort(function (a, b) {
      return a.group - b.group || byName(a.patient, b.patient);
    });
    var ids = ordered.map(function (entry) {
      return entry.patient.id;
    });
    if (ids.join() !== rowOrder.join()) {
      ordered.forEach(function (entry) {
        tbody.appendChild(entry.patient.row);
      });
      rowOrder = ids;
    }
    setText(document.getElementById('alert-count'), String(alerts.size));
    renderStatus(streaming);
  }

  /** A burst of pushed readings (a ward's devices report together) costs one render, not one per reading. */
  var renderPending = false;
  function renderSoon() {
    if (renderPending) return;
    renderPending = true;
    setTimeout(function () {
      renderPending = false;
      render();
    }, 50);
  }

  // ---- alerts ----------------------------------------------------------------------------------------------------

  function describeAlert(alert) {
    var metric = METRICS[alert.metric] || { label: alert.metric, unit: '' };
    var patient = patients.get(alert.patientId);
    var name = (patient && patient.name) || 'patient ' + alert.patientId.slice(0, 8);
    return (
      when(alert.raisedAt) +
      ' — ' +
      name +
      ': ' +
      metric.label +
      ' ' +
      alert.value +
      ' ' +
      metric.unit +
      (alert.value > alert.threshold ? ', above ' : ', below ') +
      alert.threshold +
      ' ' +
      metric.unit
    );
  }

  /** `liveOn`: the connection that pushed it (kept when that connection's snapshot, read a moment earlier, lacks it). */
  function addAlert(alert, liveOn) {
    if (alerts.has(alert.id) || cleared.has(alert.id)) return;
    var item = element('li', 'alert', describeAlert(alert));
    item.dataset.patientId = alert.patientId;
    item.dataset.metric = alert.metric;
    alerts.set(alert.id, { alert: alert, item: item, liveOn: liveOn });
    placeAlerts();
  }

  /** An alert that ended (its vital back in range, or its rule deleted) leaves the list and its patient's row. */
  function clearAlert(id, liveOn) {
    cleared.set(id, liveOn);
    var entry = alerts.get(id);
    if (!entry) return;
    alertList.removeChild(entry.item);
    alerts.delete(id);
  }

  function placeAlerts() {
    var entries = [];
    alerts.forEach(function (entry) {
      entries.push(entry);
    });
    entries.sort(function (a, b) {
      return Date.parse(b.alert.raisedAt) - Date.parse(a.alert.raisedAt);
    });
    entries.forEach(function (entry) {
      alertList.appendChild(entry.item);
    });
  }

  // ---- the connection -------------------------------------------------------------------------------------------

  function setLink(state) {
    if (state === 'reconnecting' && link.state !== 'reconnecting') link.since = new Date();
    link.state = state;
    body.dataset.connection = state;
    render();
  }

  function renderStatus(streaming) {
    body.dataset.streaming = String(streaming);
    var message;
    if (link.state === 'connected')
      message =
        streaming > 0
          ? 'Live — ' + streaming + ' of ' + patients.size + ' patients streaming'
          : 'Connected, but no device is streaming: no patient has a reading from the last ' +
            age(staleAfterMs);
    else if (link.state === 'reconnecting')
      message =
        'Disconnected since ' +
        clock(link.since) +
        ' — reconnecting (attempt ' +
        link.attempt +
        '). The values below may be out of date.';
    else if (link.state === 'connecting') message = 'Connecting…';
    else message = link.message || 'Sign in to follow the ward';
    setText(statusEl, message);
  }

  function HttpError(what, status) {
    this.message = what + ': HTTP ' + status;
    this.status = status;
  }

  /** A refresh token is single-use: concurrent 401s share one refresh. */
  function refreshSession() {
    if (!session.refreshing)
      session.refreshing = fetch('/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      })
        .then(function (response) {
          if (!response.ok) throw new HttpError('session', response.status === 401 ? 401 : response.status);
          return response.json();
        })
        .then(function (tokens) {
          session.accessToken = tokens.accessToken;
          session.refreshToken = tokens.refreshToken;
        })
        .finally(function () {
          session.refreshing = null;
        });
    return session.refreshing;
  }

  /** A staff API call; an expired access token (15 min, or signed by an instance that restarted) is refreshed once. */
  function api(what, path, init) {
    function send() {
      var headers = Object.assign({}, (init && init.headers) || {}, {
        authorization: 'Bearer ' + session.accessToken,
      });
      return fetch(path, Object.assign({}, init || {}, { headers: headers }));
    }
    return send()
      .then(function (response) {
        return response.status === 401 && session.refreshToken ? refreshSession().then(send) : response;
      })
      .then(function (response) {
        if (!response.ok) throw new HttpError(what, response.status);
        return response.json();
      });
  }

  function loadPatients(cursor, seen) {
    var url =
      '/dashboard/active-patients?wardId=' +
      encodeURIComponent(wardId) +
      (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
    return api('active patients', url).then(function (page) {
      page.data.forEach(function (summary) {
        patientFor(summary.id, summary);
        seen.add(summary.id);
        if (summary.latest) show(summary.latest);
      });
      if (page.pagination.hasMore) return loadPatients(page.pagination.nextCursor, seen);
    });
  }

  /** The ward's state as of now: name, active patients with their latest vitals, open alerts. */
  function loadSnapshot(generation) {
    var seen = new Set();
    return Promise.all([
      api('ward', '/wards/' + encodeURIComponent(wardId)),
      loadPatients(null, seen),
      api('open alerts', '/wards/' + encodeURIComponent(wardId) + '/open-alerts'),
    ]).then(function (results) {
      var ward = results[0];
      document.getElementById('ward-name').textContent = ward.name;
      document.title = ward.name + ' — live vitals';
      // Patients who left the ward while the page was away leave the table.
      patients.forEach(function (patient, id) {
        if (!seen.has(id)) {
          if (patient.row.parentNode) patient.row.parentNode.removeChild(patient.row);
          patients.delete(id);
        }
      });
      rowOrder = [];
      // Alerts cleared meanwhile leave the list; ones pushed on this connection stay (the snapshot may predate them).
      alerts.forEach(function (entry, id) {
        if (entry.liveOn !== generation) {
          alertList.removeChild(entry.item);
          alerts.delete(id);
        }
      });
      // Clearings pushed on earlier connections are in this snapshot already; this connection's may not be yet.
      cleared.forEach(function (liveOn, id) {
        if (liveOn !== generation) cleared.delete(id);
      });
      results[2].forEach(function (alert) {
        addAlert(alert, 0);
      });
    });
  }

  function closeSocket() {
    var socket = link.socket;
    link.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close();
    }
  }

  /** Opens /live and subscribes to the ward; resolves once subscribed, so the snapshot after it misses nothing. */
  function subscribe(token, generation) {
    return new Promise(function (resolve, reject) {
      var socket = new WebSocket(
        (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/live',
      );
      link.socket = socket;
      socket.onopen = function () {
        socket.send(JSON.stringify({ type: 'auth', token: token }));
      };
      socket.onmessage = function (event) {
        var message = JSON.parse(event.data);
        if (message.type === 'authenticated')
          socket.send(JSON.stringify({ type: 'subscribe', wardId: wardId }));
        else if (message.type === 'subscribed') resolve();
        else if (message.type === 'reading') {
          show(message);
          renderSoon();
        } else if (message.type === 'alert') {
          addAlert(message, generation);
          renderSoon();
        } else if (message.type === 'alert_cleared') {
          clearAlert(message.id, generation);
          renderSoon();
        } else if (message.type === 'error')
          reject(new Error('live feed: ' + (message.message || message.code)));
      };
      socket.onclose = function (event) {
        var reason = 'live feed closed (' + event.code + (event.reason ? ': ' + event.reason : '') + ')';
        reject(new Error(reason));
        if (generation === link.generation) retryLater();
      };
    });
  }

  function connect() {
    retryTimer = null;
    closeSocket();
    link.generation += 1;
    var generation = link.generation;
    if (link.state !== 'reconnecting') setLink('connecting');
    api('dashboard token', '/dashboard/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ward page', wardIds: [wardId] }),
    })
      .then(function (issued) {
        return subscribe(issued.token, generation);
      })
      .then(function () {
        return loadSnapshot(generation);
      })
      .then(function () {
        if (generation !== link.generation) return;
        link.attempt = 0;
        setLink('connected');
      })
      .catch(function (error) {
        if (generation !== link.generation) return;
        if (error instanceof HttpError && (error.status === 401 || error.status === 403)) signedOut(error);
        else retryLater();
      });
  }

  /** Exponential backoff with jitter: a restarted API is not met by every open ward page at the same instant. */
  function retryLater() {
    if (retryTimer !== null) return;
    closeSocket();
    link.attempt += 1;
    var ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * Math.pow(2, link.attempt - 1));
    var delay = ceiling / 2 + Math.random() * (ceiling / 2);
    link.generation += 1; // whatever the failed attempt still has in flight no longer counts
    setLink('reconnecting');
    retryTimer = setTimeout(connect, delay);
  }

  function signedOut(error) {
    closeSocket();
    link.generation += 1;
    link.message =
      error.status === 403
        ? 'This ward is outside your wards (' + error.message + ')'
        : 'Your session has ended: sign in again to follow the ward';
    session = { accessToken: null, refreshToken: null, refreshing: null };
    form.hidden = false;
    setLink('signed-out');
  }

  // Sign in first: every data route needs a staff access token, and the dashboard token it issues covers
  // only the wards this member may see.
  form.onsubmit = function (event) {
    event.preventDefault();
    link.message = 'Signing in…';
    render();
    fetch('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: document.getElementById('email').value,
        password: document.getElementById('password').value,
      }),
    })
      .then(function (response) {
        if (!response.ok) throw new Error('sign-in failed: HTTP ' + response.status);
        return response.json();
      })
      .then(function (tokens) {
        session.accessToken = tokens.accessToken;
        session.refreshToken = tokens.refreshToken;
        form.hidden = true;
        link.attempt = 0;
        connect();
      })
      .catch(function (error) {
        link.message = String(error.message || error);
        render();
      });
  };
  // Ages, staleness and the retry countdown move with the clock, not only when a message arrives.
  setInterval(render, 1000);
  render();
})();
