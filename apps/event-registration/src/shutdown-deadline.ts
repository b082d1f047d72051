/**
 * Nest's shutdown hooks close the app on SIGTERM/SIGINT (stop accepting, finish in-flight work, close pools
 * and queues). This bounds that: if closing hangs past `graceMs` (a stuck job, a peer that never answers),
 * the process exits non-zero rather than outliving its orchestrator's grace period unseen.
 */
export function armShutdownDeadline(graceMs: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`shutdown took longer than ${graceMs} ms; exiting\n`);
        process.exit(1);
      }, graceMs).unref();
    });
  }
}
