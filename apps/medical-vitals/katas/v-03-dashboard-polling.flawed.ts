import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { PgPool } from '@remedy/pooling';
import { LiveGateway } from '../src/dashboards/live/live.gateway.js';
import { patientRoom, readingKey, wardRoom } from '../src/dashboards/live/live-rooms.js';
import { READER_POOL } from '../src/read-replica/read-replica.tokens.js';

/** The reviewed design's refresh: every open dashboard asks again every 5 s (vitals review §2). */
export const POLL_INTERVAL_MS = 5_000;

/**
 * The ward page of the reviewed design ("With … 50 concurrent dashboard users, this creates 10
 * queries/second just for polling"): it reloads its ward's patients and their latest vitals from the REST
 * API every POLL_INTERVAL_MS, whether anything changed or not. Served in place of the real page's script
 * (WARD_PAGE_SCRIPT); same rows and cells, no socket.
 */
export const POLLING_WARD_PAGE_SCRIPT = `
(function () {
  'use strict';
  var wardId = decodeURIComponent(location.pathname.split('/').pop() || '');
  var rows = new Map();
  var accessToken = null;
  function cell(row, name) { return row.querySelector('[data-field="' + name + '"]'); }
  function rowFor(id) {
    var row = rows.get(id);
    if (row) return row;
    row = document.createElement('tr');
    row.dataset.patientId = id;
    ['name', 'heartRate', 'spo2', 'bp', 'temperature', 'recordedAt'].forEach(function (name) {
      var td = document.createElement('td');
      td.dataset.field = name;
      row.appendChild(td);
    });
    document.getElementById('patients').appendChild(row);
    rows.set(id, row);
    return row;
  }
  function refresh(cursor) {
    var url = '/dashboard/active-patients?wardId=' + encodeURIComponent(wardId) +
      (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
    return fetch(url, { headers: { authorization: 'Bearer ' + accessToken } })
      .then(function (response) { return response.json(); }).then(function (page) {
      page.data.forEach(function (patient) {
        var row = rowFor(patient.id);
        cell(row, 'name').textContent = patient.name || patient.id;
        if (!patient.latest) return;
        cell(row, 'heartRate').textContent = String(patient.latest.heartRate);
        cell(row, 'spo2').textContent = String(patient.latest.spo2);
        cell(row, 'bp').textContent = patient.latest.systolic + '/' + patient.latest.diastolic;
        cell(row, 'temperature').textContent = String(patient.latest.temperature);
        cell(row, 'recordedAt').textContent = new Date(patient.latest.recordedAt).toLocaleTimeString();
      });
      if (page.pagination.hasMore) return refresh(page.pagination.nextCursor);
    });
  }
  function tick() {
    refresh().catch(function (error) {
      document.getElementById('status').textContent = String(error.message || error);
    }).then(function () { setTimeout(tick, ${POLL_INTERVAL_MS}); });
  }
  // Signs in as the real page does (access control is not the flaw under test here).
  document.getElementById('sign-in').onsubmit = function (event) {
    event.preventDefault();
    fetch('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: document.getElementById('email').value,
        password: document.getElementById('password').value,
      }),
    }).then(function (response) { return response.json(); }).then(function (session) {
      accessToken = session.accessToken;
      tick();
    });
  };
})();
`;

interface LatestRow {
  patient_id: string;
  ward_id: string | null;
  device_id: string;
  seq: string;
  recorded_at: Date;
  heart_rate: number | null;
  spo2: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: string | null;
}

/**
 * A close cousin, plugged in at the dashboard feed (VitalsPushService): the page keeps its socket, but the
 * server fills it by polling the database every POLL_INTERVAL_MS for readings newer than the last poll.
 */
@Injectable()
export class PollingVitalsFeed implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private since = new Date();

  constructor(
    @Inject(READER_POOL) private readonly pool: PgPool,
    @Inject(LiveGateway) private readonly gateway: LiveGateway,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.poll().catch(() => undefined), POLL_INTERVAL_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    const { rows } = await this.pool.query<LatestRow>(
      `SELECT DISTINCT ON (v.patient_id) v.patient_id, p.ward_id, v.device_id, v.seq, v.recorded_at, v.heart_rate,
              v.spo2, v.systolic, v.diastolic, v.temperature
         FROM vital_data v JOIN patients p ON p.id = v.patient_id
        WHERE v.received_at > $1
        ORDER BY v.patient_id, v.recorded_at DESC`,
      [this.since],
    );
    this.since = new Date();
    const messages = rows.flatMap((row) => {
      const message = JSON.stringify({
        type: 'reading',
        patientId: row.patient_id,
        wardId: row.ward_id,
        deviceId: row.device_id,
        seq: Number(row.seq),
        recordedAt: row.recorded_at.toISOString(),
        heartRate: row.heart_rate,
        spo2: row.spo2,
        systolic: row.systolic,
        diastolic: row.diastolic,
        temperature: row.temperature === null ? null : Number(row.temperature),
      });
      const rooms = [patientRoom(row.patient_id), ...(row.ward_id ? [wardRoom(row.ward_id)] : [])];
      return rooms.map((room) => ({ room, message, key: readingKey(row.patient_id) }));
    });
    await this.gateway.publish(messages);
  }
}
