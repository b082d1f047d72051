import type { DestinationStream } from '@remedy/observability';

export type LogLine = Record<string, unknown>;

/** A destination for the app's JSON logger that keeps every line as written, and parsed. */
export class LogCapture implements DestinationStream {
  readonly raw: string[] = [];
  readonly lines: LogLine[] = [];

  write(line: string): void {
    for (const text of line.split('\n').filter(Boolean)) {
      this.raw.push(text);
      this.lines.push(JSON.parse(text) as LogLine);
    }
  }

  /** A mark to measure from: `since(mark)` returns what was written after it. */
  mark(): number {
    return this.raw.length;
  }

  since(mark: number): { raw: string[]; lines: LogLine[]; bytes: number } {
    const raw = this.raw.slice(mark);
    return {
      raw,
      lines: this.lines.slice(mark),
      bytes: raw.reduce((sum, text) => sum + Buffer.byteLength(text) + 1, 0),
    };
  }
}
