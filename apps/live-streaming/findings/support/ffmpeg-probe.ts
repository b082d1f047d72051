import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FfmpegRun {
  pid: number;
  streamId: string;
  /** The `nice` level ffmpeg ran at (from /proc, as the kernel saw it). */
  nice: number;
  startedAtMs: number;
  endedAtMs: number | undefined;
  exitCode: number | undefined;
}

/**
 * Stands in front of the real ffmpeg as FFMPEG_PATH and logs each run the service starts: its stream, its
 * nice level, when it started and ended. While the gate is closed a run waits before ffmpeg starts, so a
 * proof can hold transcodes and count what the service started (runs alive at once) without racing a timer.
 * Lines are appended with O_APPEND, one write each, so their order is the order things happened.
 */
export class FfmpegProbe {
  private constructor(
    private readonly dir: string,
    readonly path: string,
  ) {}

  static async create(): Promise<FfmpegProbe> {
    const dir = await mkdtemp(join(tmpdir(), 'ffmpeg-probe-'));
    const path = join(dir, 'ffmpeg');
    const log = join(dir, 'runs.log');
    const gate = join(dir, 'gate-open');
    await writeFile(log, '');
    await writeFile(
      path,
      `#!/bin/sh
stream=$(echo "$*" | grep -o 'archive-[0-9a-f-]\\{36\\}' | head -n 1 | cut -c 9-)
nice=$(cut -d ' ' -f 19 /proc/$$/stat)
echo "start $$ $stream $nice $(date +%s%3N)" >> '${log}'
while [ ! -e '${gate}' ]; do sleep 0.02; done
ffmpeg "$@"
code=$?
echo "end $$ $code $(date +%s%3N)" >> '${log}'
exit $code
`,
    );
    await chmod(path, 0o755);
    const probe = new FfmpegProbe(dir, path);
    await probe.open();
    return probe;
  }

  async close(): Promise<void> {
    await rm(join(this.dir, 'gate-open'), { force: true });
  }

  async open(): Promise<void> {
    await writeFile(join(this.dir, 'gate-open'), '');
  }

  async runs(): Promise<FfmpegRun[]> {
    const runs = new Map<number, FfmpegRun>();
    for (const line of (await readFile(join(this.dir, 'runs.log'), 'utf8')).split('\n')) {
      const [event, pid, ...rest] = line.split(' ');
      if (event === 'start') {
        const [streamId, nice, at] = rest;
        runs.set(Number(pid), {
          pid: Number(pid),
          streamId: streamId ?? '',
          nice: Number(nice),
          startedAtMs: Number(at),
          endedAtMs: undefined,
          exitCode: undefined,
        });
      } else if (event === 'end') {
        const run = runs.get(Number(pid));
        if (run !== undefined) {
          run.exitCode = Number(rest[0]);
          run.endedAtMs = Number(rest[1]);
        }
      }
    }
    return [...runs.values()];
  }

  /** The most runs alive at once, read from the order of the log's start and end lines. */
  async maxConcurrent(): Promise<number> {
    let alive = 0;
    let most = 0;
    for (const line of (await readFile(join(this.dir, 'runs.log'), 'utf8')).split('\n')) {
      if (line.startsWith('start ')) most = Math.max(most, (alive += 1));
      else if (line.startsWith('end ')) alive -= 1;
    }
    return most;
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
