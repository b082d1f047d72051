import { TokenService } from '@remedy/auth';
import { poolStatementsDuring } from '@remedy/pooling';
import {
  defineFinding,
  waitForQueuesIdle,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import { Queue } from 'bullmq';
import {
  GroupedQueryPerMessage,
  NeverInvalidatedSessionLanguages,
  PerParticipantLanguageQueries,
} from '../katas/s-3-language-per-participant.flawed.js';
import { SESSION_EVENTS_QUEUE_NAME } from '../src/events/session-events-queue.js';
import { SessionLanguages } from '../src/participants/session-languages.js';
import { ApiClient, type AuthSessionBody } from './support/api-client.js';
import { deliveriesOf, seededViewer } from './support/chat-room.js';
import { ChatTestClient } from './support/chat-test-client.js';
import { organiserWithLiveSession } from './support/session-fixtures.js';
import { startTestApp } from './support/start-test-app.js';
import { startTestWorker } from './support/start-test-worker.js';
import { startTranslationProviders } from './support/translation-providers.js';

/** Participants cycle through these; the organiser (first, English) writes every message. */
const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja'];
const SIZES = [5, 50] as const;
/** Messages after the first (which may load the map), one at a time. */
const WARM_MESSAGES = 3;
const NEWCOMER_LANGUAGE = 'ko';
/** The only participant of the 5-participant session who follows it in this language leaves. */
const DEPARTED_LANGUAGE = 'ja';
const READS_PARTICIPANTS = /\bFROM participants\b/;

const FLAWS = {
  'one grouped query per message':
    "SessionLanguages ← GroupedQueryPerMessage: review a's JOIN alone, uncached: one statement per message at any size",
  'never invalidated':
    'SessionLanguages ← NeverInvalidatedSessionLanguages: the cached map, but joins and leaves never invalidate it',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: SessionLanguages, useClass: PerParticipantLanguageQueries }],
  remediated: [],
  'one grouped query per message': [{ provide: SessionLanguages, useClass: GroupedQueryPerMessage }],
  'never invalidated': [{ provide: SessionLanguages, useClass: NeverInvalidatedSessionLanguages }],
};

interface ChatSession {
  id: string;
  organiser: AuthSessionBody;
  author: ChatTestClient;
  /** Access tokens of the viewers, in join order (the organiser is not among them). */
  viewers: string[];
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const providers = await startTranslationProviders();
  // A held-up translation must not go out untranslated: the proof reads which languages were translated into.
  const settings = { ...providers.env, CHAT_TRANSLATION_TIMEOUT_MS: '60000' };
  const app = await startTestApp(ctx, settings);
  const worker = await startTestWorker(ctx, settings, PLUGS[run]);
  const sessionEvents = new Queue(SESSION_EVENTS_QUEUE_NAME, {
    connection: { url: worker.config.redis.queueUrl },
    prefix: worker.config.redis.queuePrefix,
  });
  const sockets: ChatTestClient[] = [];
  try {
    const api = new ApiClient(app.url);
    const addViewer = seededViewer(ctx.pool, app.app.get(TokenService));
    const google = providers.google;
    // Every join and leave committed has been relayed and consumed: whatever the map will learn, it has learnt.
    const eventsSettled = async (): Promise<void> => {
      for (let waited = 0; ; waited += 20) {
        const { rows } = await ctx.pool.query<{ unpublished: number }>(
          'SELECT count(*)::int AS unpublished FROM outbox WHERE published_at IS NULL',
        );
        if (rows[0]?.unpublished === 0) break;
        if (waited > 30_000) throw new Error('session events still unpublished after 30 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await waitForQueuesIdle([sessionEvents], { timeoutMs: 30_000 });
    };
    const openSession = async (size: number): Promise<ChatSession> => {
      const { organiser, session } = await organiserWithLiveSession(api, `s3_${size}_organiser@example.com`);
      const join = (token: string, language: string) =>
        api.expect(200, 'POST', `/sessions/${session.id}/participants`, { language }, token);
      await join(organiser.accessToken, LANGUAGES[0] ?? 'en');
      const viewers: string[] = [];
      for (let index = 1; index < size; index += 1) {
        const viewer = await addViewer(organiser, `s3_${size}_viewer_${index}@example.com`);
        await join(viewer.accessToken, LANGUAGES[index % LANGUAGES.length] ?? 'en');
        viewers.push(viewer.accessToken);
      }
      const author = await ChatTestClient.joined(
        app.url.replace(/^http/, 'ws'),
        organiser.accessToken,
        session.id,
      );
      sockets.push(author);
      return { id: session.id, organiser, author, viewers };
    };
    let sent = 0;
    const deliveryPools = `${worker.config.database.applicationName}-worker`;
    /**
     * One message, delivered (the author hears its own): the statements reading participants that the delivery
     * worker's pools finished, and (in `all`) every pool of the service's, the API's membership check included.
     */
    const deliverOne = async (session: ChatSession): Promise<{ delivery: number; all: number }> => {
      sent += 1;
      const clientMessageId = `s3-${sent}`;
      const { statements } = await poolStatementsDuring(worker.config.database.applicationName, async () => {
        session.author.send({ type: 'message', text: `Agenda point ${sent} for the panel`, clientMessageId });
        const pendingOf = () =>
          session.author.ofType('pending').find((frame) => frame['clientMessageId'] === clientMessageId);
        await session.author.until('pending', () => pendingOf() !== undefined);
        const messageId = String(pendingOf()?.['messageId']);
        await session.author.until('message', () => deliveriesOf(session.author, messageId).length > 0);
      });
      const reads = statements.filter((statement) => READS_PARTICIPANTS.test(statement.sql));
      return {
        delivery: reads.filter((statement) => statement.pool.startsWith(deliveryPools)).length,
        all: reads.length,
      };
    };

    const details: Record<string, string | number> = {};
    const warmPerMessage: number[] = [];
    let small: ChatSession | undefined;
    for (const size of SIZES) {
      const session = await openSession(size);
      if (size === SIZES[0]) small = session;
      await eventsSettled();
      const cold = await deliverOne(session);
      const segmentsBefore = google.segmentsTranslated;
      let warm = 0;
      let warmAll = 0;
      for (let message = 0; message < WARM_MESSAGES; message += 1) {
        const reads = await deliverOne(session);
        warm += reads.delivery;
        warmAll += reads.all;
      }
      warmPerMessage.push(warm / WARM_MESSAGES);
      details[
        `${size} participants: delivery statements reading participants, first message / each later one`
      ] = `${cold.delivery} / ${warm / WARM_MESSAGES}`;
      details[`${size} participants: with the API's author check, each later message`] =
        warmAll / WARM_MESSAGES;
      details[`${size} participants: texts translated per message (target languages)`] =
        `${(google.segmentsTranslated - segmentsBefore) / WARM_MESSAGES} (${LANGUAGES.length - 1})`;
    }

    // The map must follow the session: a newcomer's language is translated into from the next message on, and a
    // language nobody follows any more is not.
    if (small === undefined) throw new Error('no 5-participant session');
    const newcomer = await addViewer(small.organiser, 's3_newcomer@example.com');
    await api.expect(
      200,
      'POST',
      `/sessions/${small.id}/participants`,
      { language: NEWCOMER_LANGUAGE },
      newcomer.accessToken,
    );
    const departed = small.viewers[LANGUAGES.indexOf(DEPARTED_LANGUAGE) - 1] ?? '';
    await api.expect(204, 'DELETE', `/sessions/${small.id}/participants/me`, undefined, departed);
    await eventsSettled();
    const callsBefore = google.calls.length;
    await deliverOne(small);
    const targets = new Set(google.calls.slice(callsBefore).map((call) => call.targetLanguage.toLowerCase()));
    const newcomerMissed = targets.has(NEWCOMER_LANGUAGE) ? 0 : 1;
    const departedServed = targets.has(DEPARTED_LANGUAGE) ? 1 : 0;
    details[`after a join in ${NEWCOMER_LANGUAGE} and the leave of the one ${DEPARTED_LANGUAGE} follower`] =
      `translated into ${[...targets].sort().join(', ')}`;

    const [atSmall = 0, atLarge = 0] = warmPerMessage;
    const value = atSmall + atLarge + newcomerMissed + departedServed;
    ctx.log(
      `${run}: ${atSmall} / ${atLarge} participant statements per message at ${SIZES[0]} / ${SIZES[1]} participants, ` +
        `${newcomerMissed + departedServed} stale language decisions`,
    );
    details['stale language decisions (newcomer not translated into, leaver still translated into)'] =
      `${newcomerMissed}, ${departedServed}`;
    return { value, details };
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
    await sessionEvents.close();
    await worker.close();
    await app.close();
    await providers.stop();
  }
}

export default defineFinding({
  id: 'polyglot-a:S-3',
  alsoCovers: ['polyglot-b:C-1'],
  title: 'Participant language resolved with one query per participant, for every message',
  explanation:
    'The design translates each message "into every participant\'s language" and says nothing of how those ' +
    'languages are found; both reviews read it as the participant list and then one query per participant, for ' +
    "every message (21 statements in a 20-participant session). The remedy keeps the session's language map (each " +
    'language and how many follow it, one grouped query served by participants_pkey) in the cache Redis, shared by ' +
    'every worker. A join or a leave writes its outbox event in its own transaction; the worker relays it and gives ' +
    'the map a fresh random version, so a map loaded before the change is never served after it, even when its ' +
    'fill lands late; a map whose event was lost is wrong for at most CACHE_SESSION_LANGUAGES_TTL_SECONDS. The ' +
    'delivery translates once per language of the map, never per participant. Measured on the real gateway and ' +
    `worker: sessions of ${SIZES.join(' and ')} participants in ${LANGUAGES.length} languages, one message and then ` +
    `${WARM_MESSAGES} more, one at a time, counting the statements on participants every pool of the service ` +
    `finishes per message; then a newcomer joins in ${NEWCOMER_LANGUAGE} and the only ${DEPARTED_LANGUAGE} follower ` +
    'leaves, and the next message must be translated into the one and not the other. The value adds the ' +
    'statements per later message at both sizes and the stale language decisions.',
  fix: [
    'src/participants/session-languages.ts',
    'src/participants/session-languages-invalidation.ts',
    'src/events/session-events-relay.ts',
    'src/chat/messages/chat-message-delivery.ts',
  ],
  difficulty: 2,
  hints: [
    'Count the statements one chat message costs in a session of 5 participants, then of 50.',
    'A message needs the set of languages, not the participants: one grouped query gives it.',
    'The set changes only on a join or a leave: cache it, and let those events invalidate it on every instance.',
    'The technique: a shared cache invalidated by outbox events, versioned so a late fill cannot serve an old map, with a TTL for lost events.',
  ],
  seam: 'SessionLanguages (Nest provider under ChatMessageDelivery in the worker) ← katas/s-3-language-per-participant.flawed.ts PerParticipantLanguageQueries',
  flawsPutBack: FLAWS,
  metric: {
    name: `statements reading participants per message (${SIZES.join(' + ')} participants) + stale language decisions (of 2)`,
    unit: 'statements',
    better: 'lower',
  },
  measure,
  // One statement per participant and one for the list: it grows with the session.
  flawed: (statements) => statements >= SIZES[0] + SIZES[1],
  remediated: (statements) => statements === 0,
  timeoutMs: 180_000,
});
