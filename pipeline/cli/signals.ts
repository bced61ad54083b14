/** What stopOnSignals needs from the process: tests pass a plain EventEmitter and a recording exit. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface StopOnSignalsOptions {
  source: SignalSource;
  /** Ends the process at once; `signal` is the one that asked (see exitAtOnce). */
  exit: (code: number, signal: 'SIGINT' | 'SIGTERM') => void;
  err: (line: string) => void;
  /** How long a clean stop may take after the first signal before the process exits anyway. */
  graceMs?: number;
  setTimer?: (fn: () => void, ms: number) => { unref?: () => unknown };
}

/** Exit codes as a shell reports a process ended by the signal (128 + its number). */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/** Below the promised 5 s, so a stuck stop still ends in time. */
export const STOP_GRACE_MS = 4_500;

/**
 * The first SIGINT/SIGTERM resolves the returned promise (commands stop cleanly: interrupt queries, close
 * sockets, flush Bronze); if that is not done within the grace period, or when a second signal comes, the
 * process exits at once. Without this a command stuck in a native call (a DuckDB query, a file system that
 * never answers) would ignore every signal but SIGKILL, since listening for one disables its default.
 */
export function stopOnSignals(options: StopOnSignalsOptions): Promise<void> {
  const graceMs = options.graceMs ?? STOP_GRACE_MS;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  let stopping = false;
  return new Promise<void>((resolve) => {
    const onSignal = (signal: 'SIGINT' | 'SIGTERM') => () => {
      if (stopping) {
        options.err(`clickpulse: ${signal} again: exiting now.`);
        options.exit(SIGNAL_EXIT[signal], signal);
        return;
      }
      stopping = true;
      options.err(`clickpulse: stopping (${signal}); send it again to exit at once.`);
      const timer = setTimer(() => {
        options.err(`clickpulse: did not stop within ${(graceMs / 1000).toFixed(1)} s: exiting.`);
        options.exit(SIGNAL_EXIT[signal], signal);
      }, graceMs);
      timer.unref?.(); // a clean stop lets the process end on its own, before the deadline
      resolve();
    };
    options.source.on('SIGINT', onSignal('SIGINT'));
    options.source.on('SIGTERM', onSignal('SIGTERM'));
  });
}

/**
 * The process's own exit for stopOnSignals: ended by the signal itself. process.exit() is not enough: while
 * a DuckDB query still runs on its threads, DuckDB's destructor at exit waits for it, so the process would
 * hang after "exiting now" (seen with an uninterrupted count over range(10^12)). Once nothing listens for
 * the signal its default action is back, and raising it ends the process at once, as the shell expects
 * (128 + the signal's number).
 */
export function exitAtOnce(code: number, signal: 'SIGINT' | 'SIGTERM'): void {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  process.exit(code); // not reached where the signal's default action ends the process
}
