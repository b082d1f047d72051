import { AppProcess } from '../process/app-process.js';

interface Message {
  type: string;
}

export interface BenchChildOptions {
  /** What the child is, for error reports; 'bench child' unless told. */
  name?: string;
}

/**
 * A bench helper process (TypeScript through the repo's loader) spoken to over IPC: its own open-files budget
 * (20,000 per process here) is what lets a bench hold more sockets than one process may. Messages are typed
 * (`{ type }`): each is handed to a listener of its type (`on`), else to the oldest `next(type)` waiting, else
 * kept until asked for, so a report that comes before the parent asks is not missed.
 */
export class BenchChild {
  private readonly app: AppProcess;
  private readonly listeners = new Map<string, (message: Message) => void>();
  private readonly waiting = new Map<string, Array<(message: Message) => void>>();
  private readonly unclaimed = new Map<string, Message[]>();

  constructor(entry: URL, job: unknown, options: BenchChildOptions = {}) {
    // The job goes over IPC, not argv: thousands of user IDs exceed the kernel's per-argument limit (E2BIG).
    this.app = new AppProcess(entry, { name: options.name ?? 'bench child', ipc: true });
    this.app.onMessage((message: Message) => {
      // Sent on request: a message that reached the child before its listener would be dropped.
      if (message.type === 'send-job') this.app.send({ type: 'job', job });
      else if (this.listeners.has(message.type)) this.listeners.get(message.type)!(message);
      else if (this.waiting.get(message.type)?.length) this.waiting.get(message.type)!.shift()!(message);
      else this.unclaimed.set(message.type, [...(this.unclaimed.get(message.type) ?? []), message]);
    });
  }

  get pid(): number {
    return this.app.pid;
  }

  /** Every message of `type` (progress reports), as it comes. */
  on<M extends Message>(type: M['type'], listener: (message: M) => void): void {
    this.listeners.set(type, listener as (message: Message) => void);
  }

  /** The child's next message of `type`; rejects with its output if the child exits first. */
  next<M>(type: string): Promise<M> {
    const kept = this.unclaimed.get(type)?.shift();
    if (kept) return Promise.resolve(kept as M);
    const message = new Promise<M>((resolve) =>
      this.waiting.set(type, [...(this.waiting.get(type) ?? []), resolve as (message: Message) => void]),
    );
    return this.app.whileRunning(message, `"${type}"`);
  }

  send(message: unknown): void {
    this.app.send(message);
  }

  /**
   * The parent's half of roundsAtParentCommand: sends `{ type: command, round, rounds }` and resolves with the
   * child's answer to it. Ask every child for a round before awaiting any, so their clients come in together.
   */
  round<M>(command: string, answer: string, round: number, rounds: number): Promise<M> {
    const answered = this.next<M>(answer);
    this.send({ type: command, round, rounds });
    return answered;
  }

  kill(): void {
    void this.app.kill();
  }
}

/** In a child: the job its parent sent; the child exits when the parent goes away, so none outlives a failed bench. */
export function childJob<Job>(): Promise<Job> {
  process.once('disconnect', () => process.exit(0));
  const sent = nextParentMessage<{ type: 'job'; job: Job }>('job');
  process.send?.({ type: 'send-job' });
  return sent.then((message) => message.job);
}

/** In a child: the parent's next message of `type`. */
export function nextParentMessage<M>(type: string): Promise<M> {
  return new Promise((resolve) => {
    const listener = (message: Message): void => {
      if (message.type !== type) return;
      process.off('message', listener);
      resolve(message as M);
    };
    process.on('message', listener);
  });
}

export function tellParent(message: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/**
 * In a child: its share of a setup done in rounds at the parent's command (BenchChild.round), so that several children's clients come
 * in interleaved (a timed sample joins among the load and sits at random places in a room's order, ADR 0099). Tells
 * the parent `{ type: 'started' }` once it listens; then for each `{ type: command, round, rounds }` runs `doRound`
 * and answers `{ type: answer, round, ...what doRound returned }`, up to the last round. The next command is listened
 * for before the answer goes, since the parent may send it the moment the answer arrives.
 */
export async function roundsAtParentCommand(
  command: string,
  answer: string,
  doRound: (round: number, rounds: number) => Promise<Record<string, unknown> | void>,
): Promise<void> {
  let next = nextParentMessage<{ round: number; rounds: number }>(command);
  await tellParent({ type: 'started' });
  for (;;) {
    const { round, rounds } = await next;
    const result = await doRound(round, rounds);
    const last = round >= rounds - 1;
    if (!last) next = nextParentMessage<{ round: number; rounds: number }>(command);
    await tellParent({ type: answer, round, ...result });
    if (last) return;
  }
}
