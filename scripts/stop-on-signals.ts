/**
 * The stop of a long-running process (ingest, worker): on the first SIGTERM or SIGINT, run `stop`
 * once, log the outcome and exit 0, or 1 when it fails or outlasts `timeoutMs`.
 */
export function stopOnSignals(
  log: (message: string) => void,
  stop: () => Promise<void>,
  options: { what?: string; timeoutMs?: number } = {},
): void {
  let stopping = false;
  const onSignal = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: ${options.what ?? 'stopping'}`);
    if (options.timeoutMs !== undefined) {
      const timeoutMs = options.timeoutMs;
      setTimeout(() => {
        log(`stop took longer than ${timeoutMs} ms; exiting`);
        process.exit(1);
      }, timeoutMs).unref();
    }
    stop().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}
