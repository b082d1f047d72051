/* global document, location, fetch, WebSocket, setTimeout */
// The live ward page: the nurse signs in, then the page loads the ward's active patients over REST and
// follows /live for readings and alerts. No framework, no build step; every value goes into the page
// through textContent. The access token lives only in this script's memory (never in the URL or storage).
(function () {
  'use strict';
  var wardId = decodeURIComponent(location.pathname.split('/').pop() || '');
  var rows = new Map();
  var statusEl = document.getElementById('status');
  var accessToken = null;
  document.getElementById('ward-id').textContent = wardId;

  function setStatus(text) {
    statusEl.textContent = text;
  }

  function cell(row, name) {
    return row.querySelector('[data-field="' + name + '"]');
  }

  function rowFor(patient) {
    var row = rows.get(patient.id);
    if (row) return row;
    row = document.createElement('tr');
    row.dataset.patientId = patient.id;
    ['name', 'mrn', 'heartRate', 'spo2', 'bp', 'temperature', 'recordedAt', 'openAlerts'].forEach(
      function (name) {
        var td = document.createElement('td');
        td.dataset.field = name;
        if (name !== 'name' && name !== 'mrn') td.className = 'num';
        row.appendChild(td);
      },
    );
    cell(row, 'name').textContent = patient.name || patient.id;
    cell(row, 'mrn').textContent = patient.mrn || '';
    cell(row, 'openAlerts').textContent = String(patient.openAlerts || 0);
    if (patient.openAlerts > 0) row.classList.add('alerting');
    document.getElementById('patients').appendChild(row);
    rows.set(patient.id, row);
    return row;
  }

  function show(reading) {
    var row = rows.get(reading.patientId) || rowFor({ id: reading.patientId, openAlerts: 0 });
    var text = function (value) {
      return value === null || value === undefined ? '–' : String(value);
    };
    cell(row, 'heartRate').textContent = text(reading.heartRate);
    cell(row, 'spo2').textContent = text(reading.spo2);
    cell(row, 'bp').textContent = text(reading.systolic) + '/' + text(reading.diastolic);
    cell(row, 'temperature').textContent = text(reading.temperature);
    cell(row, 'recordedAt').textContent = new Date(reading.recordedAt).toLocaleTimeString();
    row.classList.remove('fresh');
    void row.offsetWidth;
    row.classList.add('fresh');
  }

  function raise(alert) {
    var row = rows.get(alert.patientId) || rowFor({ id: alert.patientId, openAlerts: 0 });
    var count = cell(row, 'openAlerts');
    count.textContent = String(Number(count.textContent || '0') + 1);
    row.classList.add('alerting');
    var item = document.createElement('li');
    item.className = 'alert';
    item.dataset.patientId = alert.patientId;
    var name = cell(row, 'name').textContent;
    item.textContent =
      new Date(alert.raisedAt).toLocaleTimeString() +
      ' — ' +
      name +
      ': ' +
      alert.metric +
      ' ' +
      alert.value +
      ' (threshold ' +
      alert.threshold +
      ')';
    var list = document.getElementById('alerts');
    list.insertBefore(item, list.firstChild);
  }

  function loadPatients(cursor) {
    var url =
      '/dashboard/active-patients?wardId=' +
      encodeURIComponent(wardId) +
      (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
    return fetch(url, { headers: { authorization: 'Bearer ' + accessToken } })
      .then(function (response) {
        if (!response.ok) throw new Error('active patients: HTTP ' + response.status);
        return response.json();
      })
      .then(function (page) {
        page.data.forEach(function (patient) {
          rowFor(patient);
          if (patient.latest) show(patient.latest);
        });
        if (page.pagination.hasMore) return loadPatients(page.pagination.nextCursor);
      });
  }

  function connect(token, attempt) {
    var socket = new WebSocket(
      (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/live',
    );
    socket.onopen = function () {
      socket.send(JSON.stringify({ type: 'auth', token: token }));
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === 'authenticated')
        socket.send(JSON.stringify({ type: 'subscribe', wardId: wardId }));
      else if (message.type === 'subscribed') {
        setStatus('live');
        document.body.dataset.live = 'true';
      } else if (message.type === 'reading') show(message);
      else if (message.type === 'alert') raise(message);
      else if (message.type === 'error') setStatus('error: ' + message.message);
    };
    socket.onclose = function (event) {
      document.body.dataset.live = 'false';
      // 1012 (server restart) and 1013 (instance full): come back, a little later each time.
      var delay = Math.min(30000, 500 * Math.pow(2, attempt));
      setStatus(
        'disconnected (' + event.code + (event.reason ? ': ' + event.reason : '') + '), reconnecting…',
      );
      setTimeout(function () {
        start(attempt + 1);
      }, delay);
    };
  }

  function start(attempt) {
    fetch('/dashboard/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + accessToken },
      body: JSON.stringify({ name: 'ward page', wardIds: [wardId] }),
    })
      .then(function (response) {
        if (!response.ok) throw new Error('token: HTTP ' + response.status);
        return response.json();
      })
      .then(function (issued) {
        return loadPatients().then(function () {
          connect(issued.token, attempt);
        });
      })
      .catch(function (error) {
        setStatus(String(error.message || error));
      });
  }

  // Sign in first: every data route needs a staff access token, and the dashboard token it issues covers
  // only the wards this member may see.
  var form = document.getElementById('sign-in');
  form.onsubmit = function (event) {
    event.preventDefault();
    setStatus('signing in…');
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
      .then(function (session) {
        accessToken = session.accessToken;
        form.hidden = true;
        start(0);
      })
      .catch(function (error) {
        setStatus(String(error.message || error));
      });
  };
  setStatus('sign in to follow the ward');
})();
