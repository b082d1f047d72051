import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/**
 * CPU seconds (user + system) that other processes have used so far, from /proc (Linux): process.cpuUsage()
 * only sees the calling process, while a bench's work is shared with others, such as the Postgres backends
 * serving its pool. A process that has gone counts 0.
 */
export function cpuSecondsOfProcesses(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + cpuSecondsIn(`/proc/${pid}/stat`), 0);
}

/**
 * CPU seconds this process's main thread has used so far: process.cpuUsage() adds every thread, such as a
 * load generator on a worker thread, the GC's helpers and libuv's pool.
 */
export function cpuSecondsOfMainThread(): number {
  return cpuSecondsIn(`/proc/${process.pid}/task/${process.pid}/stat`);
}

function cpuSecondsIn(statFile: string): number {
  let stat: string;
  try {
    stat = readFileSync(statFile, 'utf8');
  } catch {
    return 0;
  }
  // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}
