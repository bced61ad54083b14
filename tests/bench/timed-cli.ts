import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli } from '../helpers/cli';

/** What a benchmark learns from one run of the built CLI. */
export interface Timed {
  out: string;
  err: string;
  seconds: number;
  /** Peak resident memory of the CLI process in MB (VmHWM, sampled every 200 ms). */
  peakMb: number;
  /** User + system CPU seconds of the CLI process (its worker threads included). */
  cpu: number;
}

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) of a process so far, from /proc. */
export function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}

let runs = 0;

/**
 * Runs `clickpulse ARGS…` (the built CLI), sampling its resident memory; rejects with its stderr if it
 * exits non-zero. CPU comes from GNU time's rusage when /usr/bin/time exists, else from the last /proc
 * sample before the exit. The one runner every bench:* script uses.
 */
export function timedCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const usage = join(tmpdir(), `clickpulse-bench-usage-${process.pid}-${runs++}.txt`);
    const gnuTime = existsSync('/usr/bin/time');
    const child = gnuTime
      ? spawn('/usr/bin/time', ['-f', '%U %S', '-o', usage, process.execPath, builtCli, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env,
        })
      : spawn(process.execPath, [builtCli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    let peak = 0;
    let cpu = 0;
    let cliPid: number | null = gnuTime ? null : (child.pid ?? null);
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const sampler = setInterval(() => {
      try {
        cliPid ??=
          Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim()) || null;
        if (cliPid === null) return;
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${cliPid}/status`, 'utf8'));
        if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
        cpu = cpuSeconds(cliPid) ?? cpu;
      } catch {
        // the process just ended
      }
    }, 200);
    child.on('exit', (code) => {
      clearInterval(sampler);
      let rusage = '';
      if (gnuTime) {
        rusage = existsSync(usage) ? readFileSync(usage, 'utf8') : '';
        rmSync(usage, { force: true });
      }
      if (code !== 0) return reject(new Error(`clickpulse ${args[0]} exited ${code}: ${err}`));
      const [user, sys] = rusage.trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
      if (Number.isFinite(user) && Number.isFinite(sys)) cpu = (user ?? 0) + (sys ?? 0);
      resolve({ out, err, seconds: (performance.now() - started) / 1000, peakMb: peak, cpu });
    });
  });
}
