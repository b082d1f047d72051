export interface BurstOutcome {
  /** Responses by HTTP status. */
  statuses: Map<number, number>;
  /** Each call's time from sending to the whole response read, in ms, sorted ascending. */
  latenciesMs: number[];
}

/** Sends one `POST /events/:id/registrations` per token to `baseUrl`, all at once, and waits for every answer. */
export async function registrationBurst(
  baseUrl: string,
  eventId: string,
  tokens: readonly string[],
  onAnswer?: () => void,
): Promise<BurstOutcome> {
  const statuses = new Map<number, number>();
  const latenciesMs = await Promise.all(
    tokens.map(async (token) => {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/events/${eventId}/registrations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      onAnswer?.();
      return performance.now() - started;
    }),
  );
  return { statuses, latenciesMs: latenciesMs.sort((a, b) => a - b) };
}

/** The value below which `fraction` of the sorted samples fall (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

export function describeStatuses(statuses: ReadonlyMap<number, number>): string {
  return [...statuses].map(([status, n]) => `${n}× ${status}`).join(', ');
}
