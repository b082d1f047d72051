import { PurposeTokens } from '@remedy/auth';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import { UnsecuredJWT } from 'jose';
import {
  DecodedNotVerifiedCheckinTokens,
  ExpiryIgnoredCheckinTokens,
  LegacyFallbackCheckinTokens,
  UnsignedCheckinCodes,
  unsignedCode,
} from '../katas/minor-1-unsigned-qr.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import { CheckinTokens } from '../src/checkin/checkin-tokens.js';
import type { AppConfig } from '../src/config.js';
import { accessTokensFor } from './support/access-tokens.js';
import { seedEvent, seedRegistrations } from './support/seed-events.js';
import { seedAttendees, seedOrganiser } from './support/seed-users.js';
import { startTestApp } from './support/start-test-app.js';
import { TEST_SECRETS } from './support/test-config.js';

const ATTACKER_SECRET = 'attacker-made-this-secret-up-0123456789';

type Run = 'flawed' | 'remediated' | 'plain id accepted' | 'decoded, not verified' | 'expiry ignored';

/** What CheckinTokens is replaced with in each run; the remediated run keeps the service's own. */
function plugsFor(run: Run): ProviderPlug[] {
  const verifier = (make: (config: AppConfig) => CheckinTokens): ProviderPlug[] => [
    { provide: CheckinTokens, inject: [APP_CONFIG], useFactory: make },
  ];
  switch (run) {
    case 'flawed':
      return [{ provide: CheckinTokens, useClass: UnsignedCheckinCodes }];
    case 'remediated':
      return [];
    case 'plain id accepted':
      return verifier((config) => new LegacyFallbackCheckinTokens(config));
    case 'decoded, not verified':
      return verifier((config) => new DecodedNotVerifiedCheckinTokens(config));
    case 'expiry ignored':
      return verifier((config) => new ExpiryIgnoredCheckinTokens(config));
  }
}

/** An attack on its own victim's registration, and the refusal the API documents for it (401 + reason). */
interface Attack {
  name: string;
  code: string;
  reason: 'bad-signature' | 'malformed' | 'expired';
}

interface ErrorBody {
  alreadyCheckedIn?: boolean;
  message?: string;
  details?: Array<{ field?: string; message?: string }>;
}

async function checkedIn(ctx: FindingContext, registrationId: string): Promise<boolean> {
  const { rows } = await ctx.pool.query<{ status: string }>(
    'SELECT status FROM registrations WHERE id = $1',
    [registrationId],
  );
  return rows[0]?.status === 'checked_in';
}

async function attacksOn(victims: string[], eventId: string, issuer: string): Promise<Attack[]> {
  const forger = new PurposeTokens({ secret: ATTACKER_SECRET, issuer });
  const lastMonth = new PurposeTokens({
    secret: TEST_SECRETS.QR_TOKEN_SECRET,
    issuer,
    clock: () => Date.now() - 30 * 86_400_000,
  });
  return [
    {
      name: 'signed with a made-up secret',
      code: await forger.sign('checkin', { registrationId: victims[0]!, eventId }, 86_400),
      reason: 'bad-signature',
    },
    {
      name: 'unsigned JWT (alg none)',
      code: new UnsecuredJWT({ registrationId: victims[1]!, eventId })
        .setIssuer(issuer)
        .setAudience('checkin')
        .setExpirationTime('1d')
        .encode(),
      reason: 'malformed',
    },
    {
      name: 'the registration ids, unsigned (the old format)',
      code: unsignedCode({ registrationId: victims[2]!, eventId }),
      reason: 'malformed',
    },
    {
      name: 'genuine code of a month-old window (expired)',
      code: await lastMonth.sign('checkin', { registrationId: victims[3]!, eventId }, 86_400),
      reason: 'expired',
    },
  ];
}

export default defineFinding({
  id: 'events:m-1',
  title: 'QR check-in codes can be forged or reused forever',
  explanation:
    'The design leaves the QR code unspecified; the natural reading is the registration id in the code, which anyone ' +
    'who sees or guesses an id can print, and which never expires. The service signs each code as a single-purpose ' +
    'token (HS256, its own secret, audience "checkin", expiring an hour after the event) and the organiser desk verifies ' +
    "it. Both runs scan the same four attacks and one genuine code at POST /checkin, the review's codes plugged in " +
    'where CheckinTokens sits: an attack counts unless it gets the documented refusal, a 401 whose detail names the ' +
    'reason (bad-signature, malformed, expired). A genuine code must check in once (a second scan reports ' +
    'alreadyCheckedIn and changes nothing).',
  fix: [
    'src/checkin/checkin-tokens.ts',
    'src/checkin/checkin.service.ts',
    '../../libs/auth/src/purpose-tokens.ts',
  ],
  difficulty: 2,
  hints: [
    'Anyone who knows a registration id can print a code. What would the desk need to tell a code you issued from one somebody made?',
    'Sign the code with a secret only the service holds, and refuse anything whose signature does not verify, including unsigned tokens.',
    'Put an expiry and a single purpose (audience) in the signed payload, and tell apart bad-signature, malformed and expired in the 401.',
    "The technique: a signed, expiring, single-purpose token (HS256 JWT with aud 'checkin' and exp), verified with the algorithm pinned.",
  ],
  seam: 'CheckinTokens (Nest provider, verify() behind POST /checkin) ← katas/minor-1-unsigned-qr.flawed.ts UnsignedCheckinCodes',
  flawsPutBack: {
    'plain id accepted':
      'signed codes verified, but an unsigned code of the registration ids still accepted as a fallback',
    'decoded, not verified': "the token's claims read with decodeJwt: neither signature nor expiry checked",
    'expiry ignored':
      'the signature checked (compactVerify) but not the claims, so an expired code still works',
  },
  metric: {
    name: 'forged or expired codes not refused with 401 and the reason',
    unit: 'codes',
    better: 'lower',
  },
  async measure(run, ctx): Promise<Measurement> {
    const organiserId = await seedOrganiser(ctx.pool, 'm1-organiser@example.com');
    const event = await seedEvent(ctx.pool, { organiserId, capacity: 10 });
    const users = await seedAttendees(ctx.pool, 5, 'minor-m1');
    const registrations = await seedRegistrations(ctx.pool, event, users);
    const genuine = registrations[4]!;
    const testApp = await startTestApp(ctx, {}, { plugs: plugsFor(run) });
    try {
      const [organiserToken] = await accessTokensFor(testApp, [organiserId], 'organiser');
      const scan = async (code: string): Promise<{ status: number; body: ErrorBody }> => {
        const response = await fetch(`${testApp.url}/checkin`, {
          method: 'POST',
          headers: { authorization: `Bearer ${organiserToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ token: code }),
        });
        return { status: response.status, body: (await response.json()) as ErrorBody };
      };
      const details: Record<string, string> = {};
      let notRefused = 0;
      let accepted = 0;
      for (const attack of await attacksOn(registrations, event.id, testApp.config.auth.issuer)) {
        const { status, body } = await scan(attack.code);
        const refused =
          status === 401 &&
          (body.details ?? []).some((detail) => detail.field === 'token' && detail.message === attack.reason);
        if (!refused) notRefused += 1;
        if (status === 200) accepted += 1;
        details[attack.name] =
          `${status} ${body.details?.[0]?.message ?? (status === 200 ? 'checked in' : '')}`.trim();
      }
      const { token } = await testApp.app
        .get(CheckinTokens)
        .issue({ registrationId: genuine, eventId: event.id }, new Date(Date.now() + 86_400_000));
      const first = await scan(token);
      const second = await scan(token);
      const once =
        first.status === 200 &&
        first.body.alreadyCheckedIn === false &&
        second.status === 200 &&
        second.body.alreadyCheckedIn === true;
      if (!once || !(await checkedIn(ctx, genuine)))
        throw new Error(`a genuine code did not check in exactly once: ${first.status}, ${second.status}`);
      return {
        value: notRefused,
        details: { 'checked in by an attack': accepted, ...details, 'genuine code': 'checked in once' },
      };
    } finally {
      await testApp.close();
    }
  },
  flawed: (notRefused) => notRefused > 0,
  remediated: (notRefused) => notRefused === 0,
});
