import { BenchChild } from '@remedy/testing';
import type {
  ChatClientsCommand,
  ChatClientsJob,
  ChatClientsReport,
  ChatClientsResult,
} from './chat-clients.child.js';

const ENTRY = new URL('./chat-clients.child.ts', import.meta.url);

type Report<T extends ChatClientsReport['type']> = Extract<ChatClientsReport, { type: T }>;

/**
 * One chat client process (bench/support/chat-clients.child.ts) holding its share of the room's sockets, spoken
 * to over IPC: job → started, open → opened (round after round), go → sent, expect → result. Its own process, because the open-files limit
 * (20,000) is per process and the clients' CPU must not be the servers'.
 */
export class ChatClientProcess {
  private readonly child: BenchChild;

  /** `onProgress(opened)` after each batch of this process's sockets has joined. */
  constructor(job: ChatClientsJob, onProgress: (opened: number) => void) {
    this.child = new BenchChild(ENTRY, job, { name: 'chat client process' });
    this.child.on<Report<'progress'>>('progress', (report) => onProgress(report.opened));
  }

  /** Resolves once the process listens for `open`. */
  started(): Promise<Report<'started'>> {
    return this.next('started');
  }

  /** Opens round `round`'s share (of `rounds`) of this process's sockets; resolves once they have joined. */
  open(round: number, rounds: number): Promise<Report<'opened'>> {
    return this.child.round<Report<'opened'>>('open', 'opened', round, rounds);
  }

  go(startAt: number): Promise<Report<'sent'>> {
    const sent = this.next('sent');
    this.command({ type: 'go', startAt });
    return sent;
  }

  async expect(published: number): Promise<ChatClientsResult> {
    const result = this.next('result');
    this.command({ type: 'expect', published });
    return (await result).result;
  }

  kill(): void {
    this.child.kill();
  }

  private command(command: ChatClientsCommand): void {
    this.child.send(command);
  }

  /** The child's next report of `type` (kept if it came before it was asked for), or its output if it exits. */
  private next<T extends ChatClientsReport['type']>(type: T): Promise<Report<T>> {
    return this.child.next<Report<T>>(type);
  }
}
