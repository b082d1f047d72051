import type { INestApplicationContext } from '@nestjs/common';

/**
 * Closes the app once on SIGTERM/SIGINT (drain devices, flush, ack, close pools), then exits 0, or 1 if
 * closing failed or took longer than `graceMs`. Not Nest's `enableShutdownHooks`: it removes its listener when the first signal arrives, so
 * a second one (Ctrl-C reaches every process of a cluster, and the primary passes SIGTERM on as well) would
 * kill the process mid-drain; and it re-raises the signal, so a clean stop looks like a crash.
 */
export function closeOnSignals(app: INestApplicationContext, graceMs: number): void {
  let closing = false;
  const onSignal = (): void => {
    if (closing) return;
    closing = true;
    // Past the grace period the orchestrator kills the process anyway: exit non-zero, visibly, before that.
    setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${graceMs} ms; exiting\n`);
      process.exit(1);
    }, graceMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
