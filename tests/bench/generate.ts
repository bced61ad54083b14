/**
 * bench:generate — the synthetic generator at 10M rows (target: under a minute on a 2-core machine), run
 * through the built CLI as a user would. ROWS=… overrides. The machine's load average is printed with each
 * figure: on a shared 2-core machine a busy neighbour can double the wall time.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { builtCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const rows = Number(process.env.ROWS ?? 10_000_000);
const dir = await tempDir('clickpulse-bench-generate-');
try {
  for (const name of ['events.csv', 'events.csv.gz']) {
    const out = join(dir.path, name);
    const started = performance.now();
    execFileSync(
      process.execPath,
      [builtCli, 'generate', '--rows', String(rows), '--seed', '1', '--out', out],
      { stdio: 'inherit' },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${name}: ${rows.toLocaleString('en-US')} rows, ${(statSync(out).size / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s ` +
        `(${Math.round(rows / seconds).toLocaleString('en-US')} rows/s; load average ${loadavg()[0]?.toFixed(1)}, ` +
        'so other work on the machine shows)',
    );
  }
} finally {
  await dir.remove();
}
