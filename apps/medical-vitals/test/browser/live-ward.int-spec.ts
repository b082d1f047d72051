import type { Browser, Page } from 'playwright-core';
import { launchChromium, useTestContext, waitUntil } from '@remedy/testing';
import { DeviceClient, readings } from '../../findings/support/device-client.js';
import { medicalVitalsHarness } from '../../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededRegistry } from '../../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../../findings/support/start-test-app.js';
import { createStaff, signInStaff } from '../../findings/support/staff-session.js';

const MINUTE_MS = 60_000;
const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  app = await startTestApp(ctx);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

type SeededWard = SeededRegistry & {
  wardId: string;
  ruleId: string;
  wardAdmin: { headers: Record<string, string> };
};

/** A hospital with one ward of `patients` (one device each) and a heart-rate rule (max 140) on the ward. */
async function seedWard(target: TestApp, patients: number): Promise<SeededWard> {
  const registry = await seedRegistry(ctx.pool, { patients });
  const wardAdmin = await signInStaff(
    { url: target.url, pool: ctx.pool },
    { role: 'ward_admin', hospitalId: registry.hospitalId, wardIds: registry.wardIds },
  );
  const rule = await fetch(`${target.url}/alert-rules`, {
    method: 'POST',
    headers: { ...wardAdmin.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ wardId: registry.wardIds[0], metric: 'heart_rate', max: 140 }),
  });
  if (!rule.ok) throw new Error(`creating the alert rule failed: ${rule.status} ${await rule.text()}`);
  const { id: ruleId } = (await rule.json()) as { id: string };
  return { ...registry, wardId: registry.wardIds[0]!, ruleId, wardAdmin };
}

/** A nurse of the ward opens its page and signs in; resolves once the page has loaded the ward and follows it. */
async function openWardPage(target: TestApp, registry: SeededWard): Promise<Page> {
  const page = await browser.newPage();
  const nurse = await createStaff(ctx.pool, {
    role: 'nurse',
    hospitalId: registry.hospitalId,
    wardIds: [registry.wardId],
  });
  await page.goto(`${target.url}/ward/${registry.wardId}`);
  await page.fill('#email', nurse.email);
  await page.fill('#password', nurse.password);
  await page.click('#sign-in button[type="submit"]');
  await page.waitForSelector('body[data-connection="connected"]', { timeout: 15_000 });
  return page;
}

/** Sends one reading and waits for its ack (it is stored, in the latest-vitals cache and pushed). */
async function sendReading(
  target: TestApp,
  device: { id: string; token: string },
  reading: { seq: number; recordedAt: number; heartRate: number },
): Promise<void> {
  const client = await DeviceClient.open(target.wsUrl, device.id, device.token);
  try {
    client.sendReadings([
      {
        ...readings(1, reading.seq, reading.recordedAt)[0]!,
        heartRate: reading.heartRate,
      },
    ]);
    await client.untilAcked(reading.seq, 15_000);
  } finally {
    client.close();
  }
}

const row = (patientId: string): string => `#patients tr[data-patient-id="${patientId}"]`;

test('a reading sent by a device appears on the ward page with its unit, and an out-of-range one raises an alert', async () => {
  const registry = await seedWard(app, 2);
  const page = await openWardPage(app, registry);
  const device = registry.devices[0]!;
  await page.waitForSelector(row(device.patientId));

  const deviceClient = await DeviceClient.open(app.wsUrl, device.id, device.token);
  try {
    deviceClient.sendReadings([{ ...readings(1, 1)[0]!, heartRate: 87 }]);
    await page
      .locator(`${row(device.patientId)} [data-field="heartRate"]`, { hasText: /^87$/ })
      .waitFor({ timeout: 15_000 });
    expect(await page.locator(`${row(device.patientId)} td[data-vital="heartRate"]`).innerText()).toMatch(
      /^87 bpm$/,
    );

    deviceClient.sendReadings([{ ...readings(1, 2)[0]!, heartRate: 171 }]);
    const alert = await page.waitForSelector(`#alerts li.alert[data-patient-id="${device.patientId}"]`, {
      timeout: 15_000,
    });
    expect(await alert.textContent()).toContain('Patient 1: heart rate 171 bpm, above 140 bpm');
    // The reading and the alert travel separately (push vs. evaluator): either may land first.
    await page
      .locator(`${row(device.patientId)} [data-field="heartRate"]`, { hasText: /^171$/ })
      .waitFor({ timeout: 5_000 });
    // The row's state follows within the page's render tick (pushed messages are rendered in one batch).
    await page
      .locator(`${row(device.patientId)} [data-field="state"]`, { hasText: 'ALARM' })
      .waitFor({ timeout: 5_000 });
  } finally {
    deviceClient.close();
    await page.close();
  }
});

test('an alert that is cleared leaves the page while the nurse watches, whether its vital recovers or its rule is deleted through the API', async () => {
  const registry = await seedWard(app, 2);
  const [recovering, other] = registry.devices as [
    (typeof registry.devices)[0],
    (typeof registry.devices)[0],
  ];
  const page = await openWardPage(app, registry);
  const alertOf = (patientId: string) => page.locator(`#alerts li.alert[data-patient-id="${patientId}"]`);
  try {
    await page.evaluate(() => {
      (globalThis as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    await sendReading(app, recovering, { seq: 0, recordedAt: Date.now() - 2_000, heartRate: 171 });
    await sendReading(app, other, { seq: 0, recordedAt: Date.now() - 2_000, heartRate: 165 });
    await alertOf(recovering.patientId).waitFor({ timeout: 15_000 });
    await alertOf(other.patientId).waitFor({ timeout: 15_000 });

    // Back in range: the evaluator ends the episode, and the page drops the alert and the row's alarm.
    await sendReading(app, recovering, { seq: 1, recordedAt: Date.now(), heartRate: 80 });
    await alertOf(recovering.patientId).waitFor({ state: 'detached', timeout: 15_000 });
    await page
      .locator(`${row(recovering.patientId)} [data-field="state"]`, { hasText: /^OK$/ })
      .waitFor({ timeout: 5_000 });
    expect(await alertOf(other.patientId).count()).toBe(1);

    // The ward admin deletes the rule through the API: its open alert goes with it, on the page too.
    const deleted = await fetch(`${app.url}/alert-rules/${registry.ruleId}`, {
      method: 'DELETE',
      headers: registry.wardAdmin.headers,
    });
    expect(deleted.status).toBe(204);
    await alertOf(other.patientId).waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('#alert-count', { hasText: /^0$/ }).waitFor({ timeout: 5_000 });
    expect(
      await page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument),
    ).toBe(true);
  } finally {
    await page.close();
  }
});

test('the alert of a rule the ward admin disables leaves the page while the nurse watches', async () => {
  const registry = await seedWard(app, 1);
  const device = registry.devices[0]!;
  const page = await openWardPage(app, registry);
  const alert = page.locator(`#alerts li.alert[data-patient-id="${device.patientId}"]`);
  try {
    await sendReading(app, device, { seq: 0, recordedAt: Date.now() - 1_000, heartRate: 171 });
    await alert.waitFor({ timeout: 15_000 });
    const disabled = await fetch(`${app.url}/alert-rules/${registry.ruleId}`, {
      method: 'PATCH',
      headers: { ...registry.wardAdmin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    expect(disabled.status).toBe(200);
    await alert.waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('#alert-count', { hasText: /^0$/ }).waitFor({ timeout: 5_000 });
  } finally {
    await page.close();
  }
});

test('on load, a nurse sees the open alerts at the top, the alerting patient first with its vital marked, a silent patient as STALE, units, dates and the ward by name', async () => {
  // 30 patients: more rows than fit above the fold, so an alert list under the table would be out of sight.
  const registry = await seedWard(app, 30);
  // The alerting patient is the one the API lists last (patients come in id order).
  const [alerting, silent, yesterday] = [...registry.devices].sort((a, b) =>
    b.patientId.localeCompare(a.patientId),
  ) as [(typeof registry.devices)[0], (typeof registry.devices)[0], (typeof registry.devices)[0]];
  await sendReading(app, alerting, { seq: 0, recordedAt: Date.now() - 1_000, heartRate: 171 });
  await sendReading(app, silent, { seq: 0, recordedAt: Date.now() - 26 * MINUTE_MS, heartRate: 80 });
  const dayBefore = Date.now() - 26 * 60 * MINUTE_MS;
  await sendReading(app, yesterday, { seq: 0, recordedAt: dayBefore, heartRate: 75 });
  await waitUntil(
    'the alert to be open',
    async () =>
      (
        await ctx.pool.query('SELECT 1 FROM alerts WHERE patient_id = $1 AND cleared_at IS NULL', [
          alerting.patientId,
        ])
      ).rowCount === 1,
    15_000,
  );

  const page = await openWardPage(app, registry);
  try {
    // The open alert is listed on load, where the nurse sees it without scrolling.
    const alert = page.locator(`#alerts li.alert[data-patient-id="${alerting.patientId}"]`);
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toContain('heart rate 171 bpm, above 140 bpm');
    const box = await alert.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height);

    // The alerting patient is the first row, its heart rate marked in words.
    const first = page.locator('#patients tr').first();
    expect(await first.getAttribute('data-patient-id')).toBe(alerting.patientId);
    expect(await first.locator('[data-field="state"]').textContent()).toContain('ALARM');
    expect(await first.locator('td[data-vital="heartRate"]').innerText()).toMatch(
      /^171 bpm\s*▲ HIGH heart rate$/,
    );
    expect(await first.locator('td[data-vital="spo2"]').innerText()).not.toContain('HIGH');

    // A device silent for 26 minutes reads as stale, in words.
    expect(await page.locator(`${row(silent.patientId)} [data-field="state"]`).textContent()).toMatch(
      /^STALE: no reading for 2[67] min$/,
    );
    // Units on every vital, the date on a reading from before today, the ward's name rather than its id.
    const units = await page.locator(`${row(silent.patientId)} td[data-vital]`).allInnerTexts();
    expect(units).toEqual([
      expect.stringMatching(/^80 bpm$/),
      expect.stringMatching(/^\d+ %$/),
      expect.stringMatching(/^\d+\/\d+ mmHg$/),
      expect.stringMatching(/^36\.5 °C$/),
    ]);
    const expectedDate = await page.evaluate(
      (at) => new Date(at).toLocaleDateString(),
      new Date(dayBefore).toISOString(),
    );
    expect(
      await page.locator(`${row(yesterday.patientId)} [data-field="recordedAt"]`).textContent(),
    ).toContain(expectedDate);
    expect(await page.locator('#ward-name').textContent()).toBe('Ward 1');
    expect(await page.locator('body').innerText()).not.toContain(registry.wardId);
  } finally {
    await page.close();
  }
});

test('a patient whose device falls silent turns STALE while the nurse watches, and the page stops saying live', async () => {
  const registry = await seedWard(app, 2);
  const device = registry.devices[0]!;
  const page = await openWardPage(app, registry);
  try {
    // Connected, but no device has sent anything: the page must not call that live.
    const idle = await page.locator('#status').textContent();
    expect(idle).not.toMatch(/live/i);
    expect(idle).toContain('no device is streaming');
    expect(await page.locator(`${row(device.patientId)} [data-field="state"]`).textContent()).toBe('NO DATA');

    await sendReading(app, device, { seq: 0, recordedAt: Date.now(), heartRate: 88 });
    // The status follows a pushed reading within the page's render tick.
    await page
      .locator('#status', { hasText: /^Live — 1 of 2 patients streaming$/ })
      .waitFor({ timeout: 5_000 });
    expect(await page.locator(`${row(device.patientId)} [data-field="state"]`).textContent()).toBe('OK');
    // The page is told nothing (a silent device sends nothing): it must notice by itself, within
    // staleAfterSeconds (10 s: ten missed reports at the default 1 s interval) and its 1 s tick.
    await page
      .locator(`${row(device.patientId)} [data-field="state"]`, { hasText: /^STALE: no reading for \d+ s$/ })
      .waitFor({ timeout: 30_000 });
    const status = await page.locator('#status').textContent();
    expect(status).not.toMatch(/live/i);
    expect(status).toContain('no device is streaming');
  } finally {
    await page.close();
  }
});

test('the page says it is disconnected while the API restarts, then reconnects by itself and shows live data again', async () => {
  // Two instances of one deployment: same signing secrets, so tokens from before the restart stay valid.
  const secrets = {
    STAFF_TOKEN_SECRET: 'browser-test staff token secret, 32+ chars',
    DASHBOARD_TOKEN_SECRET: 'browser-test dashboard token secret',
  };
  let instance: TestApp | undefined = await startTestApp(ctx, secrets);
  const port = new URL(instance.url).port;
  try {
    const registry = await seedWard(instance, 2);
    const [device, other] = registry.devices as [(typeof registry.devices)[0], (typeof registry.devices)[0]];
    const page = await openWardPage(instance, registry);
    try {
      await page.evaluate(() => {
        (globalThis as unknown as { sameDocument: boolean }).sameDocument = true;
      });
      await instance.close();
      instance = undefined;
      await page.waitForSelector('body[data-connection="reconnecting"]', { timeout: 15_000 });
      expect(await page.locator('#status').textContent()).toMatch(
        /^Disconnected since \d\d:\d\d.* — reconnecting \(attempt \d+\)/,
      );
      // Raised while the page was away: only a reload of the ward's state can bring it on screen.
      const {
        rows: [rule],
      } = await ctx.pool.query<{ id: string }>('SELECT id FROM alert_rules WHERE ward_id = $1', [
        registry.wardId,
      ]);
      await ctx.pool.query(
        `INSERT INTO alerts (rule_id, patient_id, ward_id, metric, value, threshold, raised_at)
         VALUES ($1, $2, $3, 'heart_rate', 152, 140, now())`,
        [rule!.id, other.patientId, registry.wardId],
      );

      instance = await startTestApp(ctx, { ...secrets, PORT: port });
      await page.waitForSelector('body[data-connection="connected"]', { timeout: 60_000 });
      await page
        .locator(`#alerts li.alert[data-patient-id="${other.patientId}"]`, { hasText: 'heart rate 152 bpm' })
        .waitFor({ timeout: 5_000 });
      await sendReading(instance, device, { seq: 0, recordedAt: Date.now(), heartRate: 93 });
      await page
        .locator(`${row(device.patientId)} [data-field="heartRate"]`, { hasText: /^93$/ })
        .waitFor({ timeout: 15_000 });
      // The status follows a pushed reading within the page's render tick.
      await page
        .locator('#status', { hasText: /^Live — 1 of 2 patients streaming$/ })
        .waitFor({ timeout: 5_000 });
      expect(
        await page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument),
      ).toBe(true);
    } finally {
      await page.close();
    }
  } finally {
    await instance?.close();
  }
}, 120_000);
