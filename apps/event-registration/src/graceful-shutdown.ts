import type { INestApplicationContext } from '@nestjs/common';

/**
 * Closes the app on SIGTERM/SIGINT (stop accepting, finish in-flight work, close pools and queues) and then
 * exits 0. Nest's own `enableShutdownHooks` re-raises the signal after closing, so the process dies *by* the
 * signal and `npm run serve` reports "Lifecycle script failed … code 143" for what was a clean stop.
 * If closing hangs past `graceMs` (a stuck job, a peer that never answers), or fails, the process exits
 * non-zero rather than outliving its orchestrator's grace period unseen. Call it before the app is created
 * (pass the promise): its queue workers consume from inside start-up, and a signal then must close, not kill.
 */
export function closeOnSignals(app: Promise<INestApplicationContext>, graceMs: number): void {
  let closing = false;
  const onSignal = (): void => {
    if (closing) return;
    closing = true;
    setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${graceMs} ms; exiting\n`);
      process.exit(1);
    }, graceMs).unref();
    app
      .then((started) => started.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(
            `shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`,
          );
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
