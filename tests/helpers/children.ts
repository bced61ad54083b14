import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The one way tests start child processes and worker threads. Everything started here is registered and
 * ended by `endAllChildren()`, which tests/helpers/setup-children.ts runs after every test (vitest
 * setupFiles), so a failed or timed-out test cannot leave a child running. Children run in their own
 * process group, so ending one ends everything it started too (a CLI's workers, a shell's pipeline).
 */

export interface TestChild {
  child: ChildProcess;
  /** Everything the child printed so far (only when stdout/stderr are piped). */
  stdout: () => string;
  stderr: () => string;
  /** Settles when the child has exited (never rejects). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout line that matches (or the first line); rejects if the child exits first. */
  line: (match?: (line: string) => boolean) => Promise<string>;
  /** Resolves when stdout or stderr so far matches; rejects if the child exits first. */
  output: (pattern: RegExp) => Promise<void>;
  /** Sends `signal` to the whole group, then SIGKILL after `graceMs` if it has not exited. */
  stop: (
    signal?: NodeJS.Signals,
    graceMs?: number,
  ) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends one signal to the child alone (not its group), e.g. to test signal handling. */
  signal: (signal: NodeJS.Signals) => void;
}

const GRACE_MS = 3_000;
type Scope = 'test' | 'file';
const live = new Set<{ end: () => Promise<void>; killNow: () => void; scope: Scope }>();
let inTest = false;

/** Called by setup-children.ts: children started inside a test end after it, those from beforeAll after the file. */
export function markTest(running: boolean): void {
  inTest = running;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the whole process group (the child is its leader)
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Starts a child process in its own process group, registered for cleanup. */
export function startChild(
  command: string,
  args: string[],
  options: Omit<SpawnOptions, 'detached'> = {},
): TestChild {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', () => resolve({ code: child.exitCode, signal: child.signalCode }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = GRACE_MS) => {
    if (!gone()) {
      killGroup(child, signal);
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    // The leader may be gone while something it started lives on in the group.
    killGroup(child, 'SIGKILL');
    return exited;
  };
  const entry = {
    end: async () => {
      await stop();
    },
    killNow: () => killGroup(child, 'SIGKILL'),
    scope: (inTest ? 'test' : 'file') as Scope,
  };
  live.add(entry);
  void exited.then(() => {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL'); // leftovers of the group, if any
      } catch {
        // none
      }
    }
    live.delete(entry);
  });
  /** Scans whole lines printed so far, then new ones as they come, so no early line is missed. */
  const line = (match: (line: string) => boolean = () => true) =>
    new Promise<string>((resolve, reject) => {
      if (!child.stdout) return reject(new Error('the child has no stdout pipe'));
      const out = child.stdout;
      const scan = (): boolean => {
        const found = stdout.split('\n').slice(0, -1).find(match);
        if (found === undefined) return false;
        out.off('data', onData);
        resolve(found);
        return true;
      };
      const onData = () => void scan();
      if (scan()) return;
      out.on('data', onData);
      void exited.then(({ code, signal }) => {
        out.off('data', onData);
        if (!scan()) reject(new Error(`${command} ${args.join(' ')} exited (${code ?? signal}): ${stderr}`));
      });
    });
  const output = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(stdout) && !pattern.test(stderr)) return false;
        child.stdout?.off('data', check);
        child.stderr?.off('data', check);
        resolve();
        return true;
      };
      if (check()) return;
      child.stdout?.on('data', check);
      child.stderr?.on('data', check);
      void exited.then(({ code, signal }) => {
        if (!check())
          reject(new Error(`${command} exited (${code ?? signal}) before printing ${pattern}: ${stderr}`));
      });
    });
  return {
    child,
    output,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    line,
    stop,
    signal: (s) => {
      if (!gone()) child.kill(s);
    },
  };
}

/** Runs a program to its end with optional stdin; SIGKILLs its group after `timeoutMs`. */
export async function runChild(
  command: string,
  args: string[],
  options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const started = startChild(command, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
  });
  // A child that exits without reading its stdin (kcat -L) fails the write with EPIPE: its exit code and output
  // say what happened, so the pipe's error must not crash the test process.
  started.child.stdin?.on('error', () => undefined);
  started.child.stdin?.end(options.input ?? '');
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void started.stop('SIGKILL');
  }, options.timeoutMs ?? 30_000);
  const { code } = await started.exited;
  clearTimeout(timer);
  // 'exit' can come before the last output: wait for the pipes to close.
  await Promise.all(
    [started.child.stdout, started.child.stderr].map(
      (s) => s && !s.closed && new Promise((r) => s.once('close', r)),
    ),
  );
  if (timedOut) {
    throw new Error(`${command} ${args.join(' ')} timed out; stderr: ${started.stderr()}`);
  }
  return { code, stdout: started.stdout(), stderr: started.stderr() };
}

/** Starts a worker thread, registered for cleanup (terminated after the test). */
export function startWorker(file: string | URL, options?: WorkerOptions): Worker {
  const worker = new Worker(file, options);
  const entry = {
    end: async () => {
      await worker.terminate();
    },
    killNow: () => void worker.terminate(),
    scope: (inTest ? 'test' : 'file') as Scope,
  };
  live.add(entry);
  worker.once('exit', () => live.delete(entry));
  return worker;
}

/**
 * Ends the children and workers still running (those a test started, or all of them): SIGTERM to each
 * group, SIGKILL after a grace period.
 */
export async function endAllChildren(scope: Scope | 'all' = 'all'): Promise<void> {
  await Promise.all([...live].filter((e) => scope === 'all' || e.scope === scope).map((e) => e.end()));
}

/** How many started children and workers are still running (for the helper's own test). */
export function liveChildren(): number {
  return live.size;
}

// Last resort when the test process itself goes away (a killed vitest worker): no child outlives it.
process.once('exit', () => {
  for (const e of live) e.killNow();
});
