import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtCli } from '../helpers/cli';

/** CPU seconds (user + system) of a process so far, from /proc (the CLI's worker threads are in it). */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export interface Timed {
  out: string;
  seconds: number;
  peakMb: number;
  /** User + system CPU seconds of the CLI process (broker, replay and lake threads included). */
  cpu: number;
}

/**
 * Runs the CLI, sampling its resident memory; resolves with stdout, wall seconds, peak RSS in MB and CPU
 * seconds: from GNU time's rusage when /usr/bin/time exists, else the last /proc sample before the exit.
 */
export function timedCli(args: string[], workDir: string): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const usage = join(workDir, `usage-${Date.now()}.txt`);
    const gnuTime = existsSync('/usr/bin/time');
    const child = gnuTime
      ? spawn('/usr/bin/time', ['-f', '%U %S', '-o', usage, process.execPath, builtCli, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(process.execPath, [builtCli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
      if (code !== 0) return reject(new Error(`clickpulse ${args[0]} exited ${code}: ${err}`));
      if (gnuTime) {
        const [user, sys] =
          readFileSync(usage, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
        if (Number.isFinite(user) && Number.isFinite(sys)) cpu = (user ?? 0) + (sys ?? 0);
      }
      resolve({ out, seconds: (performance.now() - started) / 1000, peakMb: peak, cpu });
    });
  });
}
