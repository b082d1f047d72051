import { fork, type ChildProcess } from 'node:child_process';
import type {
  ChatClientsCommand,
  ChatClientsJob,
  ChatClientsReport,
  ChatClientsResult,
} from './chat-clients.child.js';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;
const ENTRY = new URL('./chat-clients.child.ts', import.meta.url).pathname;

type Report<T extends ChatClientsReport['type']> = Extract<ChatClientsReport, { type: T }>;

/**
 * One chat client process (bench/support/chat-clients.child.ts) holding its share of the room's sockets, spoken
 * to over IPC: job → half, resume → ready, go → sent, expect → result. Its own process, because the open-files limit
 * (20,000) is per process and the clients' CPU must not be the servers'.
 */
export class ChatClientProcess {
  private readonly child: ChildProcess;
  /** Each report type arrives once: kept until asked for, so a report that comes early is not missed. */
  private readonly reports = new Map<string, Promise<ChatClientsReport>>();
  private readonly arrived = new Map<string, (report: ChatClientsReport) => void>();
  private stderr = '';
  private readonly exited: Promise<number | null>;

  /** `onProgress(opened)` after each batch of this process's sockets has joined. */
  constructor(job: ChatClientsJob, onProgress: (opened: number) => void) {
    this.child = fork(ENTRY, [], {
      execArgv: ['--import', REGISTER],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on(
      'data',
      (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4_000)),
    );
    this.child.on('message', (report: ChatClientsReport) => {
      if (report.type === 'progress') onProgress(report.opened);
      else {
        void this.expectReport(report.type);
        this.arrived.get(report.type)?.(report);
      }
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.send({ type: 'job', job });
  }

  /** Resolves once half this process's sockets have joined; it waits for `resume()` to open the rest. */
  half(): Promise<Report<'half'>> {
    return this.next('half');
  }

  resume(): Promise<Report<'ready'>> {
    const ready = this.next('ready');
    this.command({ type: 'resume' });
    return ready;
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
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  private command(command: ChatClientsCommand): void {
    this.child.send(command);
  }

  /** The child's next report of `type`, or a rejection with its stderr if it exits first. */
  private next<T extends ChatClientsReport['type']>(type: T): Promise<Report<T>> {
    return this.expectReport(type) as Promise<Report<T>>;
  }

  /** The promise of the report of `type`, made on first mention (by the parent or by the report itself). */
  private expectReport(type: ChatClientsReport['type']): Promise<ChatClientsReport> {
    let report = this.reports.get(type);
    if (report === undefined) {
      report = new Promise((resolve, reject) => {
        this.arrived.set(type, resolve);
        void this.exited.then((code) =>
          reject(new Error(`chat client process exited (${code}) before "${type}": ${this.stderr}`)),
        );
      });
      // A child that exits after its last report leaves the rejections of reports never asked for unheard.
      report.catch(() => undefined);
      this.reports.set(type, report);
    }
    return report;
  }
}
