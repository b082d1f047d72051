import type { DestinationStream } from 'pino';

export type LogLine = Record<string, unknown> & { msg?: string; level?: string; requestId?: string };

type LinePredicate = (line: LogLine) => boolean;

interface Waiter {
  predicate: LinePredicate;
  count: number;
  resolve: (lines: LogLine[]) => void;
}

/** A pino destination that keeps the parsed JSON lines in memory. */
export class LogCapture implements DestinationStream {
  readonly lines: LogLine[] = [];
  private waiters: Waiter[] = [];

  write(line: string): void {
    this.lines.push(JSON.parse(line) as LogLine);
    this.waiters = this.waiters.filter((waiter) => !this.settle(waiter));
  }

  withMessage(msg: string): LogLine[] {
    return this.lines.filter((line) => line.msg === msg);
  }

  /**
   * Resolves with the matching lines once there are `count` of them. The request line is written when
   * the response finishes on the server, which can be after the client has read the whole response.
   */
  waitFor(predicate: LinePredicate, count = 1, timeoutMs = 5000): Promise<LogLine[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`fewer than ${count} matching log lines after ${timeoutMs} ms`)),
        timeoutMs,
      );
      const waiter: Waiter = {
        predicate,
        count,
        resolve: (lines) => {
          clearTimeout(timer);
          resolve(lines);
        },
      };
      if (!this.settle(waiter)) this.waiters.push(waiter);
    });
  }

  private settle(waiter: Waiter): boolean {
    const matching = this.lines.filter(waiter.predicate);
    if (matching.length < waiter.count) return false;
    waiter.resolve(matching);
    return true;
  }
}
