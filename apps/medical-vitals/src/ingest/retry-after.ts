/**
 * The retry delay a throttle reply carries: uniformly between `waitMs` and 1.5 × `waitMs`. Devices refused
 * in the same instant would otherwise all come back in the same instant and be refused together again;
 * never less than `waitMs`, so a device that honours it is not refused a second time for the same reason.
 */
export function jitteredRetryAfter(waitMs: number, random: () => number = Math.random): number {
  return Math.ceil(waitMs * (1 + random() / 2));
}
