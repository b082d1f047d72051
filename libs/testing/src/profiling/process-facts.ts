import { readdirSync, readFileSync } from 'node:fs';

/** The process's resident set size in bytes now (VmRSS in /proc, Linux). */
export function residentSetBytesOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
}

/** File descriptors the process holds open now (sockets among them), from /proc. */
export function openFileDescriptorsOf(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** The process's direct children now (a cluster primary's workers), from /proc. */
export function childPidsOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .split(' ')
    .filter((child) => child.trim() !== '')
    .map(Number);
}
