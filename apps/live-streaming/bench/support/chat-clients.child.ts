import { setPriority } from 'node:os';
import {
  childJob,
  nextParentMessage,
  randomSampleByGroup,
  roundsAtParentCommand,
  tellParent,
} from '@remedy/testing';
import WebSocket from 'ws';
import { LatencyHistogram } from './latency-histogram.js';

/** One client process's share of the room, sent by the parent as its first IPC message. */
export interface ChatClientsJob {
  streamId: string;
  /** Per socket (one viewer each): the instance it connects to and its access token. */
  sockets: Array<{ wsUrl: string; token: string }>;
  /** Indexes (into `sockets`) of the sockets that also send, and each one's place in the room's send rhythm. */
  senders: Array<{ socket: number; ordinal: number }>;
  /** Every sender sends once per this many ms; ordinal k starts k × (interval / all senders) late. */
  sendIntervalMs: number;
  /** Senders in the whole room (across processes): spreads their phases evenly. */
  roomSenders: number;
  seconds: number;
  /** Share [0–1] of each instance's sockets in this process whose deliveries are timed (see latencySample). */
  latencyShare: number;
  /** The process's nice value (0: as the bench runner; 19: the service's processes run first). */
  nice: number;
}

/**
 * What the parent says: `open` the next share of the sockets (every process at once, round after round, so each
 * process's sockets join among the others' and sit at random places in the servers' fan-out order); after the
 * last, `go` at `startAt` (epoch ms); then `expect` the messages published.
 */
export type ChatClientsCommand =
  | { type: 'open'; round: number; rounds: number }
  | { type: 'go'; startAt: number }
  | { type: 'expect'; published: number };

/** What a client process reports. */
export type ChatClientsReport =
  /** Listening for `open`: the parent's commands sent before would be lost. */
  | { type: 'started' }
  /** After each batch of sockets joined: how many of this process's have so far. */
  | { type: 'progress'; opened: number }
  /** Its share of a round joined; `joinRetries`: joins tried again after a retryable error, so far. */
  | { type: 'opened'; round: number; opened: number; joinRetries: number }
  /**
   * Its senders' messages (ids `<ordinal>:<seq>`), how many the server refused (error frames) and their codes,
   * and the ids of every message its sockets have received so far (published, whoever sent it).
   */
  | { type: 'sent'; sent: string[]; refused: number; codes: Record<string, number>; seen: string[] }
  | { type: 'result'; result: ChatClientsResult };

export interface ChatClientsResult {
  sockets: number;
  /** Sockets whose deliveries were timed (the latency sample); every socket's deliveries were counted. */
  timedSockets: number;
  /** Room messages received, summed over sockets (history sent on join not included). */
  received: number;
  /** WebSocket frames received after joining, summed over sockets (a batch frame carries several messages). */
  frames: number;
  /** Per message id, how many of this process's sockets received it (a duplicate counts twice): every socket's. */
  deliveries: Record<string, number>;
  /** Sockets the server closed during the run, by close code. */
  closedByServer: Record<string, number>;
  /** The timed sockets' delivery latencies, as histogram pairs. */
  latency: Array<[number, number]>;
  cpuSeconds: number;
}

/** A run without progress for this long has lost what it still waits for. */
const STALL_MS = 15_000;
/** Sockets opened at once per process: below the servers' listen backlog. */
const OPEN_CONCURRENCY = 100;
const MESSAGE_PREFIX = 'bench:';
/** A bench line's text inside a message frame's JSON (a quote inside a text is escaped: no false match). */
const LINE_MARKER = Buffer.from(`"text":"${MESSAGE_PREFIX}`);
const COLON = 0x3a;
const ZERO = 0x30;
/** A message id `<ordinal>:<seq>` as one number: ordinal × this + seq (a sender sends far fewer). */
const SEQ_SPAN = 1_000_000;
/** Joins tried again after a retryable error (`unavailable`), and the pause before each (× the attempt). */
const JOIN_ATTEMPTS = 5;
const JOIN_RETRY_MS = 500;

interface ChatFrame {
  type: string;
  text?: string;
  code?: string;
  retryable?: boolean;
  heartbeatSeconds?: number;
  messages?: ChatFrame[];
}

interface Viewer {
  socket: WebSocket;
  /** In the latency sample: every frame is parsed and every delivery timed. The others only count. */
  timed: boolean;
  received: number;
  frames: number;
  closing: boolean;
  heartbeat?: NodeJS.Timeout;
  /** As a sender: its place in the room's rhythm, what it sent, got back from the room, and was refused. */
  ordinal?: number;
  sent: number;
  echoed: number;
  refusals: number;
}

const histogram = new LatencyHistogram();
/** Per message id (ordinal × SEQ_SPAN + seq): deliveries to this process's sockets. */
const deliveries = new Map<number, number>();
const closedByServer: Record<string, number> = {};
const refused: Record<string, number> = {};
let lastProgress = Date.now();
let joinRetries = 0;

function delivered(ordinal: number, seq: number): void {
  const id = ordinal * SEQ_SPAN + seq;
  deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
}

/** Frames stamped and not parsed yet, parsed in the event loop's check phase (after its poll phase read them all). */
const unparsed: Array<() => void> = [];

function parseLater(parse: () => void): void {
  if (unparsed.push(parse) === 1) setImmediate(() => unparsed.splice(0).forEach((next) => next()));
}

/** The ids countLines read from the current frame, recorded once the whole frame has been read. */
const frameIds: Array<[ordinal: number, seq: number]> = [];

/**
 * Counts the bench lines of a frame from its bytes, without parsing it: each line's id is read after its marker.
 * Returns how many it found, or -1 (nothing recorded) when a marker is not followed by `<ordinal>:<seq>:`: then
 * the frame is parsed.
 */
function countLines(data: Buffer): number {
  frameIds.length = 0;
  for (let at = data.indexOf(LINE_MARKER); at !== -1; at = data.indexOf(LINE_MARKER, at)) {
    at += LINE_MARKER.length;
    const numbers = [0, 0];
    for (let field = 0; field < 2; field += 1) {
      const start = at;
      while (at < data.length && data[at]! >= ZERO && data[at]! <= ZERO + 9) {
        numbers[field] = numbers[field]! * 10 + data[at]! - ZERO;
        at += 1;
      }
      if (at === start || data[at] !== COLON) return -1;
      at += 1;
    }
    frameIds.push([numbers[0]!, numbers[1]!]);
  }
  for (const [ordinal, seq] of frameIds) delivered(ordinal, seq);
  return frameIds.length;
}

/**
 * The sockets whose deliveries are timed: of each instance's sockets in this process, a uniformly random
 * `share` (none at 0). Every socket has the same chance whatever its instance, its place in the opening order
 * or its role (a sender may be timed, as any viewer), so the sample's latencies are the process's: the frames reach
 * all sockets in the same order, and the timed ones sit at random among the counted ones in its event loop.
 * Timing all of them would make the clients' parsing, not the servers, the measurement's bottleneck.
 */
function latencySample(job: ChatClientsJob): Set<number> {
  if (job.latencyShare === 0) return new Set();
  const instances = [...new Set(job.sockets.map((socket) => socket.wsUrl))];
  return randomSampleByGroup(
    job.sockets.length,
    (index) => instances.indexOf(job.sockets[index]!.wsUrl),
    (size) => job.latencyShare * size,
  );
}

/** Opens, authenticates and joins; resolves once the server confirmed the join. */
function openViewer(job: ChatClientsJob, index: number, timed: boolean): Promise<Viewer> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${job.sockets[index]!.wsUrl}/chat`);
    const viewer: Viewer = {
      socket,
      timed,
      received: 0,
      frames: 0,
      closing: false,
      sent: 0,
      echoed: 0,
      refusals: 0,
    };
    let joined = false;
    let attempts = 0;
    /** `at`: when the frame holding it arrived (its socket's message event). */
    const onFrame = (frame: ChatFrame, at: number): void => {
      if (frame.type === 'message' && frame.text?.startsWith(MESSAGE_PREFIX)) {
        viewer.received += 1;
        lastProgress = Date.now();
        const [ordinal = NaN, seq = NaN, sentAt = NaN] = frame.text
          .slice(MESSAGE_PREFIX.length)
          .split(':')
          .map(Number);
        delivered(ordinal, seq);
        if (viewer.timed) histogram.record(at - sentAt);
        if (viewer.ordinal !== undefined && ordinal === viewer.ordinal) viewer.echoed += 1;
      } else if (frame.type === 'authenticated') {
        socket.send(JSON.stringify({ type: 'join', streamId: job.streamId }));
      } else if (frame.type === 'joined' && !joined) {
        joined = true;
        // A viewer's tab sends heartbeats (the viewer count), each socket at its own phase.
        const everyMs = (frame.heartbeatSeconds ?? 15) * 1000;
        setTimeout(() => {
          viewer.heartbeat = setInterval(() => {
            if (socket.readyState === WebSocket.OPEN) socket.send('{"type":"heartbeat"}');
          }, everyMs);
        }, Math.random() * everyMs);
        resolve(viewer);
      } else if (frame.type === 'error' && !joined) {
        // A join the server could not handle for now (a Redis or database timeout: `retryable`) is tried again, as a viewer's app
        // would, a few times with a growing pause; the retries are reported.
        joinRetries += 1;
        if (frame.retryable !== true || (attempts += 1) > JOIN_ATTEMPTS)
          return reject(new Error(`socket ${index}: ${JSON.stringify(frame).slice(0, 200)}`));
        setTimeout(
          () => socket.send(JSON.stringify({ type: 'join', streamId: job.streamId })),
          JOIN_RETRY_MS * attempts,
        );
      } else if (frame.type === 'error') {
        refused[frame.code ?? 'unknown'] = (refused[frame.code ?? 'unknown'] ?? 0) + 1;
        viewer.refusals += 1;
        lastProgress = Date.now();
      }
    };
    const parse = (data: Buffer, at: number): void => {
      const frame = JSON.parse(data.toString('utf8')) as ChatFrame;
      // Lines arriving within the server's frame window (CHAT_FRAME_WINDOW_MS) come as one batch frame.
      if (frame.type === 'batch') frame.messages?.forEach((message) => onFrame(message, at));
      else onFrame(frame, at);
    };
    socket.on('message', (data: Buffer) => {
      const at = Date.now();
      if (joined) viewer.frames += 1;
      // A joined viewer outside the sample that does not send only counts its lines; a frame without any (an
      // error, a notice) is parsed as the sample's are.
      if (joined && !viewer.timed && viewer.ordinal === undefined) {
        const lines = countLines(data);
        if (lines > 0) {
          viewer.received += lines;
          lastProgress = Date.now();
          return;
        }
      }
      // A joined socket's frame is stamped now and parsed once every frame read in this turn of the event loop is
      // stamped: parsed here, it would delay the stamps of the frames read after it (a room frame reaches all of
      // this process's sockets in one turn).
      if (joined) parseLater(() => parse(data, at));
      else parse(data, at);
    });
    socket.once('error', (error) => {
      if (!joined) reject(error);
    });
    socket.on('close', (code) => {
      clearInterval(viewer.heartbeat);
      if (!viewer.closing) closedByServer[String(code)] = (closedByServer[String(code)] ?? 0) + 1;
      if (!joined) reject(new Error(`socket ${index} closed (${code}) before joining`));
    });
    socket.once('open', () =>
      socket.send(JSON.stringify({ type: 'auth', token: job.sockets[index]!.token })),
    );
  });
}

/** The id `<ordinal>:<seq>` the parent matches against the ids its senders sent. */
function messageId(id: number): string {
  return `${Math.floor(id / SEQ_SPAN)}:${id % SEQ_SPAN}`;
}

async function main(): Promise<void> {
  const job = await childJob<ChatClientsJob>();
  // The load generator yields to the service when asked (on a deployment the viewers are other machines).
  if (job.nice !== 0) setPriority(job.nice);
  const timed = latencySample(job);
  const viewers: Viewer[] = [];
  await roundsAtParentCommand('open', 'opened', async (round, rounds) => {
    const end = Math.floor(((round + 1) * job.sockets.length) / rounds);
    while (viewers.length < end) {
      const start = viewers.length;
      const batch = Array.from({ length: Math.min(end, start + OPEN_CONCURRENCY) - start }, (_, offset) =>
        openViewer(job, start + offset, timed.has(start + offset)),
      );
      viewers.push(...(await Promise.all(batch)));
      await tellParent({ type: 'progress', opened: viewers.length } satisfies ChatClientsReport);
    }
    return { opened: viewers.length, joinRetries };
  });

  const { startAt } = await nextParentMessage<{ type: 'go'; startAt: number }>('go');
  const cpuBefore = process.cpuUsage();
  const sentIds: string[] = [];
  const senders = job.senders.map(({ socket, ordinal }) => {
    const viewer = viewers[socket]!;
    viewer.ordinal = ordinal;
    return viewer;
  });
  await Promise.all(
    senders.map(
      (viewer) =>
        new Promise<void>((resolve) => {
          const sender = viewer.socket;
          const ordinal = viewer.ordinal!;
          const phase = (ordinal * job.sendIntervalMs) / job.roomSenders;
          // Sends at phase, phase + interval, … while inside the run: the room gets its rate for its seconds.
          const sends = Math.max(1, Math.ceil((job.seconds * 1000 - phase) / job.sendIntervalMs));
          let seq = 0;
          const sendOne = (): boolean => {
            if (sender.readyState === WebSocket.OPEN) {
              sender.send(
                JSON.stringify({ type: 'send', text: `${MESSAGE_PREFIX}${ordinal}:${seq}:${Date.now()}` }),
              );
              viewer.sent += 1;
              sentIds.push(`${ordinal}:${seq}`);
            }
            seq += 1;
            return seq < sends;
          };
          setTimeout(
            () => {
              if (!sendOne()) return resolve();
              const timer = setInterval(() => {
                if (sendOne()) return;
                clearInterval(timer);
                resolve();
              }, job.sendIntervalMs);
            },
            Math.max(0, startAt - Date.now() + phase),
          );
        }),
    ),
  );
  // Each sender is in the room: every message it sent comes back to it, or a refusal (rate-limited) does.
  // Once all are back, what this process published is known; a stall leaves the rest counted as unpublished.
  lastProgress = Date.now();
  const unanswered = (): boolean =>
    senders.some(
      (viewer) =>
        viewer.socket.readyState === WebSocket.OPEN && viewer.echoed + viewer.refusals < viewer.sent,
    );
  while (unanswered() && Date.now() - lastProgress < STALL_MS) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await tellParent({
    type: 'sent',
    sent: sentIds,
    refused: senders.reduce((sum, viewer) => sum + viewer.refusals, 0),
    codes: refused,
    seen: [...deliveries.keys()].map(messageId),
  });

  const { published } = await nextParentMessage<{ type: 'expect'; published: number }>('expect');
  lastProgress = Date.now();
  const pending = (): boolean =>
    viewers.some((viewer) => viewer.socket.readyState === WebSocket.OPEN && viewer.received < published);
  while (pending() && Date.now() - lastProgress < STALL_MS) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const cpu = process.cpuUsage(cpuBefore);
  const result: ChatClientsResult = {
    sockets: viewers.length,
    timedSockets: timed.size,
    received: viewers.reduce((sum, viewer) => sum + viewer.received, 0),
    frames: viewers.reduce((sum, viewer) => sum + viewer.frames, 0),
    deliveries: Object.fromEntries([...deliveries].map(([id, count]) => [messageId(id), count])),
    closedByServer,
    latency: histogram.toPairs(),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  for (const viewer of viewers) {
    viewer.closing = true;
    clearInterval(viewer.heartbeat);
    viewer.socket.terminate();
  }
  await tellParent({ type: 'result', result } satisfies ChatClientsReport);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
