import { buildConfig } from '../src/config.js';
import { DashboardTokens } from '../src/dashboards/live/dashboard-token.service.js';
import { parseLiveCommand } from '../src/dashboards/live/live-command.js';

const config = (secret: string) =>
  buildConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/test', DASHBOARD_TOKEN_SECRET: secret });
const WARD = '0b7e1a52-6a43-4f0c-9d7e-2f1f2b1c0a11';

describe('DashboardTokens', () => {
  const tokens = new DashboardTokens(config('a-shared-secret-of-16+'));

  test('a token issued by one instance verifies on another with the same secret', () => {
    const { token } = tokens.issue('ward 3 station', [WARD]);
    expect(new DashboardTokens(config('a-shared-secret-of-16+')).verify(token)).toMatchObject({
      subject: 'ward 3 station',
      wardIds: [WARD],
    });
  });

  test('forged, tampered, foreign and expired tokens are refused', () => {
    const { token } = tokens.issue('station', null);
    const [version, payload, signature] = token.split('.') as [string, string, string];
    const otherPayload = Buffer.from(JSON.stringify({ sub: 'root', wards: null, exp: 9e9 })).toString(
      'base64url',
    );
    expect(tokens.verify(`${version}.${otherPayload}.${signature}`)).toBeNull();
    expect(tokens.verify(`${version}.${payload}.${signature.slice(0, -2)}xx`)).toBeNull();
    expect(new DashboardTokens(config('another-secret-of-16+')).verify(token)).toBeNull();
    expect(tokens.verify(token, Date.now() + 13 * 3_600_000)).toBeNull();
    expect(tokens.verify(undefined)).toBeNull();
    expect(tokens.verify('v1.garbage')).toBeNull();
  });
});

describe('parseLiveCommand', () => {
  test('accepts a ward or a patient subscription', () => {
    expect(parseLiveCommand({ type: 'subscribe', wardId: WARD.toUpperCase() })).toEqual({
      type: 'subscribe',
      wardId: WARD,
    });
    expect(parseLiveCommand({ type: 'unsubscribe', patientId: WARD })).toEqual({
      type: 'unsubscribe',
      patientId: WARD,
    });
  });

  test('names every bad field', () => {
    expect(parseLiveCommand({ type: 'watch', wardId: 'x' })).toMatchObject({
      code: 'invalid-message',
      details: [
        { field: 'type', problems: ['must be "subscribe" or "unsubscribe"'] },
        { field: 'wardId', problems: ['must be a UUID'] },
      ],
    });
    expect(parseLiveCommand({ type: 'subscribe' })).toMatchObject({
      details: [{ field: 'wardId', problems: ['give exactly one of wardId or patientId'] }],
    });
    expect(parseLiveCommand([1])).toMatchObject({ code: 'invalid-message' });
  });
});
