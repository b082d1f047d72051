import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { useTestContext } from '@remedy/testing';
import { DeviceClient, readings } from '../../findings/support/device-client.js';
import { medicalVitalsHarness } from '../../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededRegistry } from '../../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../../findings/support/start-test-app.js';
import { createStaff, signInStaff } from '../../findings/support/staff-session.js';

const CHROMIUM = '/usr/bin/chromium';
const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;
let browser: Browser;
let registry: SeededRegistry;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser tests`,
    );
  app = await startTestApp(ctx);
  registry = await seedRegistry(ctx.pool, { patients: 2 });
  const wardAdmin = await signInStaff(
    { url: app.url, pool: ctx.pool },
    { role: 'ward_admin', hospitalId: registry.hospitalId, wardIds: registry.wardIds },
  );
  const rule = await fetch(`${app.url}/alert-rules`, {
    method: 'POST',
    headers: { ...wardAdmin.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ wardId: registry.wardIds[0], metric: 'heart_rate', max: 140 }),
  });
  if (!rule.ok) throw new Error(`creating the alert rule failed: ${rule.status} ${await rule.text()}`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function openWardPage(): Promise<Page> {
  const page = await browser.newPage();
  const nurse = await createStaff(ctx.pool, {
    role: 'nurse',
    hospitalId: registry.hospitalId,
    wardIds: [registry.wardIds[0]!],
  });
  await page.goto(`${app.url}/ward/${registry.wardIds[0]}`);
  await page.fill('#email', nurse.email);
  await page.fill('#password', nurse.password);
  await page.click('#sign-in button[type="submit"]');
  await page.waitForSelector('body[data-live="true"]', { timeout: 15_000 });
  return page;
}

test('a reading sent by a device appears on the ward page, and an out-of-range one raises an alert', async () => {
  const page = await openWardPage();
  const device = registry.devices[0]!;
  const row = `tr[data-patient-id="${device.patientId}"]`;
  await page.waitForSelector(row);

  const deviceClient = await DeviceClient.open(app.wsUrl, device.id, device.token);
  try {
    deviceClient.sendReadings([{ ...readings(1, 1)[0]!, heartRate: 87 }]);
    await page.locator(`${row} [data-field="heartRate"]`, { hasText: /^87$/ }).waitFor({ timeout: 15_000 });

    deviceClient.sendReadings([{ ...readings(1, 2)[0]!, heartRate: 171 }]);
    const alert = await page.waitForSelector(`#alerts li.alert[data-patient-id="${device.patientId}"]`, {
      timeout: 15_000,
    });
    expect(await alert.textContent()).toContain('heart_rate 171');
    expect(await page.locator(`${row} [data-field="heartRate"]`).textContent()).toBe('171');
    expect(await page.locator(row).getAttribute('class')).toContain('alerting');
  } finally {
    deviceClient.close();
    await page.close();
  }
});
