import { DuckDBInstance } from '@duckdb/node-api';
import { exitAtOnce, stopOnSignals } from '../../pipeline/cli/signals';

// A command stuck in a native call, as the issue saw it: a DuckDB query nothing interrupts. Run with tsx by
// tests/integration/cli/signals.test.ts; argv[2] is the grace period in ms. Bounded: the query cannot
// outlive the 60 s the child gives itself.
const stop = stopOnSignals({
  source: process,
  exit: exitAtOnce,
  err: (line) => process.stderr.write(`${line}\n`),
  graceMs: Number(process.argv[2] ?? 4500),
});
const db = await (await DuckDBInstance.create(':memory:')).connect();
void db.run('SELECT count(*) FROM range(1000000000000)').catch(() => undefined);
setTimeout(() => process.kill(process.pid, 'SIGKILL'), 60_000).unref();
process.stdout.write('running\n');
await stop; // and nothing stops the query
