import {
  defineFinding,
  percentile,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import * as Y from 'yjs';
import {
  diffFromEmptyStateRoom,
  fullDocumentResendRoom,
  resyncEveryEditRoom,
} from '../katas/s-2-full-document-resend.flawed.js';
import { COLLABORATION_ROOM_FACTORY } from '../src/collaboration/collaboration-room-factory.js';
import { ApiClient } from './support/api-client.js';
import { CollabTestClient } from './support/collab-test-client.js';
import { startTestApp, type TestApp } from './support/start-test-app.js';

/** A 1 MiB document, as the review's "large documents (>1MB) become unusable". */
const DOCUMENT_CHARS = 1_048_576;
const KEYSTROKES = 3;
/** The value when the two copies differ after the concurrent edits: no byte count makes up for that. */
const DIVERGED = Number.MAX_SAFE_INTEGER;

type Run = 'flawed' | 'remediated' | 'diff from an empty state vector' | 'sync step 2 after every edit';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: COLLABORATION_ROOM_FACTORY, useValue: fullDocumentResendRoom }],
  remediated: [],
  'diff from an empty state vector': [
    { provide: COLLABORATION_ROOM_FACTORY, useValue: diffFromEmptyStateRoom },
  ],
  'sync step 2 after every edit': [{ provide: COLLABORATION_ROOM_FACTORY, useValue: resyncEveryEditRoom }],
};

/** Stores the 1 MiB text as the document's snapshot, as if it had been typed and compacted earlier. */
async function seedLargeDocument(ctx: FindingContext, documentId: string): Promise<void> {
  const doc = new Y.Doc();
  doc
    .getText('content')
    .insert(0, 'lorem ipsum '.repeat(Math.ceil(DOCUMENT_CHARS / 12)).slice(0, DOCUMENT_CHARS));
  await ctx.pool.query('UPDATE documents SET state = $2 WHERE id = $1', [
    documentId,
    Buffer.from(Y.encodeStateAsUpdate(doc)),
  ]);
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  // Two instances on one database and Redis: the editors are on different instances, as behind a balancer.
  const apps: TestApp[] = [];
  const clients: CollabTestClient[] = [];
  try {
    for (let instance = 0; instance < 2; instance += 1)
      apps.push(await startTestApp(ctx, {}, { plugs: PLUGS[run] }));
    const [first, second] = apps as [TestApp, TestApp];
    const api = new ApiClient(first.url);
    const admin = await api.signup('s2_admin@example.com');
    const editor = await api.addMember(admin.accessToken, 's2_editor@example.com', 'editor');
    const { id: documentId } = await api.expect<{ id: string }>(
      201,
      'POST',
      '/documents',
      { title: 'one megabyte' },
      admin.accessToken,
    );
    await seedLargeDocument(ctx, documentId);

    const typist = await CollabTestClient.signedIn(first.url.replace(/^http/, 'ws'), admin.accessToken);
    const watcher = await CollabTestClient.signedIn(second.url.replace(/^http/, 'ws'), editor.accessToken);
    clients.push(typist, watcher);
    const typed = await typist.openDocument(documentId);
    const watched = await watcher.openDocument(documentId);
    const received = watcher.documentOf(documentId).syncFrameBytes;

    // One keystroke at a time, each waited for at the other editor: every frame it receives is one keystroke's.
    for (let keystroke = 1; keystroke <= KEYSTROKES; keystroke += 1) {
      typed.insert(500_000 + keystroke, 'x');
      await watcher.until(`keystroke ${keystroke}`, () => received.length === keystroke);
    }
    const keystrokeFrames = [...received];
    const perKeystroke = percentile(keystrokeFrames, 50);

    // Both type at the same place before either hears of the other's edit.
    typed.insert(10, 'A');
    watched.insert(10, 'B');
    const hasBoth = (client: CollabTestClient) => () => {
      const text = client.text(documentId);
      return text.length === DOCUMENT_CHARS + KEYSTROKES + 2;
    };
    await typist.until('both concurrent edits', hasBoth(typist));
    await watcher.until('both concurrent edits', hasBoth(watcher));
    const converged = typist.text(documentId) === watcher.text(documentId);
    ctx.log(
      `${run}: ${perKeystroke} B per keystroke to the other editor; copies ${converged ? 'converged' : 'DIVERGED'}`,
    );
    return {
      value: converged ? perKeystroke : DIVERGED,
      details: {
        'document size (characters)': DOCUMENT_CHARS,
        'keystrokes typed': KEYSTROKES,
        'bytes to the other editor, all keystrokes': keystrokeFrames.reduce((sum, bytes) => sum + bytes, 0),
        'copies converged after concurrent edits on two instances': converged ? 'yes' : 'no',
      },
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    for (const app of apps) await app.close();
  }
}

export default defineFinding({
  id: 'polyglot-b:S-2',
  title: 'Co-editing without a sync algorithm: the whole document resent on every edit',
  explanation:
    'The design leaves co-editing synchronisation unspecified, and the naive one sends every editor the whole ' +
    'document after each edit, so a 1 MB document costs a megabyte per keystroke per editor. The remedy: the ' +
    'document is a Yjs CRDT synced with y-protocols over WebSocket /collab; after an edit the other editors get ' +
    'the Yjs update of that edit (a few bytes) on every instance through Redis, and concurrent edits merge the ' +
    `same way everywhere. Measured through the real gateway: two editors on two instances open a ${DOCUMENT_CHARS}-` +
    `character document; one types ${KEYSTROKES} keystrokes and the median size of the frames the other receives ` +
    'per keystroke is the value; then both type at the same place at once and the two copies must be equal.',
  fix: ['src/collaboration/collaboration-room.ts', 'src/collaboration/collaboration.gateway.ts'],
  difficulty: 2,
  hints: [
    'What does the other editor actually lack after one keystroke?',
    'Send only the change, and make concurrent changes merge the same way in every copy.',
    'A diff must be computed against what the receiver has, not against nothing.',
    'The technique: a CRDT (Yjs) with delta sync (y-protocols sync step 1/2 and updates).',
  ],
  seam: 'the room of an open document (COLLABORATION_ROOM_FACTORY, Nest provider of /collab) ← katas/s-2-full-document-resend.flawed.ts fullDocumentResendRoom',
  flawsPutBack: {
    'diff from an empty state vector':
      'diffFromEmptyStateRoom: relays Y.encodeStateAsUpdate(doc, <empty state vector>), a "diff" that is the whole document',
    'sync step 2 after every edit':
      'resyncEveryEditRoom: re-runs the handshake’s step 2 (the full state) to every editor after each edit',
  },
  metric: {
    name: 'bytes to the other editor per keystroke on a 1 MiB document (median; diverged copies count as ∞)',
    unit: 'B',
    better: 'lower',
  },
  measure,
  flawed: (bytes) => bytes >= DOCUMENT_CHARS / 2,
  remediated: (bytes) => bytes <= 1_024,
  timeoutMs: 120_000,
});
