import { PurposeTokens } from '@remedy/auth';
import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { checkInWithQrCode, issueQrCode } from '../katas/minor-1-unsigned-qr.flawed.js';
import { CheckinTokens } from '../src/checkin/checkin-tokens.js';
import { accessTokensFor } from './support/access-tokens.js';
import { seedEvent, seedRegistrations } from './support/seed-events.js';
import { seedAttendees, seedOrganiser } from './support/seed-users.js';
import { startTestApp } from './support/start-test-app.js';
import { TEST_SECRETS } from './support/test-config.js';

const ATTACKER_SECRET = 'attacker-made-this-secret-up-0123456789';

interface Attack {
  name: string;
  code: string;
}

async function checkedIn(ctx: FindingContext, registrationId: string): Promise<boolean> {
  const { rows } = await ctx.pool.query<{ status: string }>(
    'SELECT status FROM registrations WHERE id = $1',
    [registrationId],
  );
  return rows[0]?.status === 'checked_in';
}

/** Each attack targets its own victim's registration, so an accepted attack shows as a check-in. */
async function flawed(
  ctx: FindingContext,
  eventId: string,
  victims: string[],
  genuine: string,
): Promise<number> {
  const attacks: Attack[] = [
    { name: 'forged from a known registration id', code: issueQrCode(victims[0]!, eventId) },
    { name: 'copied code of a past event (no expiry)', code: issueQrCode(victims[1]!, eventId) },
  ];
  let accepted = 0;
  for (const attack of attacks) if (await checkInWithQrCode(ctx.pool, attack.code)) accepted += 1;
  const first = await checkInWithQrCode(ctx.pool, issueQrCode(genuine, eventId));
  if (!first || !(await checkedIn(ctx, genuine)))
    throw new Error('the kata failed to check in a genuine code');
  return accepted;
}

async function remediated(
  ctx: FindingContext,
  eventId: string,
  organiserId: string,
  victims: string[],
  genuine: string,
): Promise<number> {
  const testApp = await startTestApp(ctx);
  try {
    const [organiserToken] = await accessTokensFor(testApp, [organiserId], 'organiser');
    const issuer = testApp.config.auth.issuer;
    const forger = new PurposeTokens({ secret: ATTACKER_SECRET, issuer });
    const lastMonth = new PurposeTokens({
      secret: TEST_SECRETS.QR_TOKEN_SECRET,
      issuer,
      clock: () => Date.now() - 30 * 86_400_000,
    });
    const attacks: Attack[] = [
      {
        name: 'forged: signed with a made-up secret',
        code: await forger.sign('checkin', { registrationId: victims[0]!, eventId }, 86_400),
      },
      { name: 'forged: unsigned code of the old format', code: issueQrCode(victims[0]!, eventId) },
      {
        name: 'expired: genuine code issued for a month-old window',
        code: await lastMonth.sign('checkin', { registrationId: victims[1]!, eventId }, 86_400),
      },
    ];
    const scan = async (code: string): Promise<{ status: number; body: { alreadyCheckedIn?: boolean } }> => {
      const response = await fetch(`${testApp.url}/checkin`, {
        method: 'POST',
        headers: { authorization: `Bearer ${organiserToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ token: code }),
      });
      return { status: response.status, body: (await response.json()) as { alreadyCheckedIn?: boolean } };
    };
    let accepted = 0;
    for (const attack of attacks) {
      const result = await scan(attack.code);
      if (result.status === 200) accepted += 1;
      ctx.log(`remediated: ${attack.name} → ${result.status}`);
    }
    const { token } = await testApp.app
      .get(CheckinTokens)
      .issue({ registrationId: genuine, eventId }, new Date(Date.now() + 86_400_000));
    const first = await scan(token);
    const second = await scan(token);
    const once =
      first.status === 200 &&
      first.body.alreadyCheckedIn === false &&
      second.status === 200 &&
      second.body.alreadyCheckedIn === true;
    if (!once || !(await checkedIn(ctx, genuine)))
      throw new Error('a genuine code did not check in exactly once');
    return accepted;
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'events:m-1',
  title: 'QR check-in codes can be forged or reused forever',
  explanation:
    'The design leaves the QR code unspecified; the natural reading is the registration id in the code, which anyone ' +
    'who sees or guesses an id can print, and which never expires. The service signs each code as a single-purpose ' +
    'token (HS256, its own secret, audience "checkin", expiring an hour after the event) and the organiser desk verifies ' +
    'it: a forged or expired code is a 401 with the reason, another event is a 403, and a genuine code checks in once ' +
    '(a second scan reports alreadyCheckedIn and changes nothing).',
  fix: [
    'src/checkin/checkin-tokens.ts',
    'src/checkin/checkin.service.ts',
    '../../libs/auth/src/purpose-tokens.ts',
  ],
  metric: { name: 'forged or expired codes accepted', unit: 'codes', better: 'lower' },
  async measure(variant, ctx): Promise<Measurement> {
    const organiserId = await seedOrganiser(ctx.pool, 'm1-organiser@example.com');
    const event = await seedEvent(ctx.pool, { organiserId, capacity: 10 });
    const users = await seedAttendees(ctx.pool, 3, 'minor-m1');
    const [victimA, victimB, genuine] = await seedRegistrations(ctx.pool, event, users);
    const victims = [victimA!, victimB!];
    const accepted =
      variant === 'flawed'
        ? await flawed(ctx, event.id, victims, genuine!)
        : await remediated(ctx, event.id, organiserId, victims, genuine!);
    return { value: accepted, details: { 'genuine code checked in': 'once' } };
  },
  flawed: (accepted) => accepted > 0,
  remediated: (accepted) => accepted === 0,
});
