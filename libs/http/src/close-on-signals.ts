import type { INestApplicationContext } from '@nestjs/common';

/**
 * Closes the app once on SIGTERM/SIGINT (stop accepting, finish in-flight work, close pools and queues), then
 * exits 0, or 1 if closing failed or took longer than `graceMs`.
 *
 * Not Nest's `enableShutdownHooks`: it re-raises the signal after closing, so the process dies *by* the signal
 * and a clean stop reads as a crash (`npm run serve` reports "Lifecycle script failed … code 143"); and it
 * removes its listener when the first signal arrives, so a second one (Ctrl-C reaches every process of a
 * cluster, and a cluster's primary passes SIGTERM on as well) would kill the process mid-close.
 *
 * Pass the app's start-up promise to install the handlers before the app exists: an app whose queue workers
 * consume from inside start-up must close, not die, when a signal arrives while it is still starting.
 */
export function closeOnSignals(
  app: INestApplicationContext | Promise<INestApplicationContext>,
  graceMs: number,
): void {
  let closing = false;
  const onSignal = (): void => {
    if (closing) return;
    closing = true;
    // Past the grace period the orchestrator kills the process anyway: exit non-zero, visibly, before that.
    setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${graceMs} ms; exiting\n`);
      process.exit(1);
    }, graceMs).unref();
    Promise.resolve(app)
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
