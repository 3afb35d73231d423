import type { Logger } from './logger.js';

/**
 * SIGTERM or SIGINT stops the server gracefully and exits 0; past `timeoutMs`, or on a
 * second signal (Ctrl+C twice), it exits 1 at once. Nothing acknowledged depends on
 * the graceful path: the store has it already.
 */
export function stopOnSignals(app: { close(): Promise<void>; log: Logger }, timeoutMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      app.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal }, 'stopping');
    const timer = setTimeout(() => {
      app.log.error({ timeoutMs }, 'stopping took too long: exiting');
      process.exit(1);
    }, timeoutMs);
    app.close().then(
      () => {
        clearTimeout(timer);
        process.exit(0);
      },
      (err: unknown) => {
        app.log.error({ err }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
