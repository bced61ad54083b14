/**
 * bench:silver-layout — what Silver's row-group size costs and buys. For each size in ROW_GROUPS (default
 * 122880,32768,16384,8192) it writes the same ROWS-row Silver day (default 1M; bench:ui's rows) with that
 * ROW_GROUP_SIZE, builds Gold over it with the pipeline's refreshGold (a full scan of Silver per table) and
 * indexes its users, then times Explore's journey (pipeline/explore/journey.ts, in process) for the most
 * active users and for random ones, and a dashboard-style aggregate over all of Silver. Prints wall and CPU
 * time and the file's size; asserts nothing. Run it on an otherwise idle machine to compare sizes.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { journey } from '../../pipeline/explore/journey';
import { refreshUserIndex } from '../../pipeline/explore/user-index';
import { limitLakeDb } from '../../pipeline/lake/duckdb';
import { refreshGold } from '../../pipeline/lake/gold/refresh';
import { tempDir } from '../helpers/temp';
import { benchSilverSelect } from './silver-rows';

const rows = Number(process.env.ROWS ?? 1_000_000);
const sizes = (process.env.ROW_GROUPS ?? '122880,32768,16384,8192').split(',').map(Number);
const REPEAT = 5;

/** Wall and CPU (user + system, this process: DuckDB's threads included) of `work`, in ms. */
async function timed<T>(work: () => Promise<T>): Promise<{ wall: number; cpu: number; value: T }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000, value };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function users(db: DuckDBConnection, file: string): Promise<{ top: string[]; random: string[] }> {
  const pick = async (sql: string) => (await db.runAndReadAll(sql)).getRowsJS().map(([u]) => String(u));
  return {
    top: await pick(
      `SELECT user_id FROM '${file}' GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT ${REPEAT}`,
    ),
    random: await pick(`SELECT user_id FROM '${file}' USING SAMPLE ${REPEAT} ROWS (reservoir, 42)`),
  };
}

const dir = await tempDir('clickpulse-bench-silver-layout-');
try {
  console.log(`Silver of ${rows.toLocaleString('en-US')} rows, one day, journeys: median of ${REPEAT} users`);
  for (const size of sizes) {
    const lake = join(dir.path, `lake-${size}`);
    const day = join(lake, 'silver', 'events', 'event_date=2019-10-01');
    await mkdir(day, { recursive: true });
    const file = join(day, 'part-0.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    try {
      await limitLakeDb(db);
      const write = await timed(() =>
        db.run(
          `COPY (${benchSilverSelect(rows)}) TO '${file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${size})`,
        ),
      );
      const bytes = (await stat(file)).size;
      const gold = await timed(() => refreshGold(db, lake, null));
      const scan = await timed(() =>
        db.run(`SELECT event_type, brand, count(*), sum(price), count(DISTINCT user_id)
                FROM read_parquet('${join(lake, 'silver', 'events', '**', '*.parquet')}') GROUP BY ALL`),
      );
      await refreshUserIndex(db, lake);
      const picked = await users(db, file);
      const lines: string[] = [];
      for (const [label, ids] of Object.entries(picked)) {
        const runs = [];
        for (const userId of ids) {
          // A connection per call, as the app's LakeReader does (journey keeps a temp table on it).
          const call = async () => {
            const c = await instance.connect();
            try {
              return await journey(c, lake, { userId, limit: 5000 });
            } finally {
              c.closeSync();
            }
          };
          await call(); // warm: file metadata, the OS cache
          runs.push(await timed(call));
        }
        const events = median(runs.map((r) => r.value.totalEvents));
        lines.push(
          `journey ${label} (${events} events): ${median(runs.map((r) => r.wall)).toFixed(0)} ms, CPU ${median(runs.map((r) => r.cpu)).toFixed(0)} ms`,
        );
      }
      console.log(
        `ROW_GROUP_SIZE ${size}: file ${(bytes / 2 ** 20).toFixed(1)} MiB, write ${write.wall.toFixed(0)} ms; ` +
          `Gold full ${(gold.wall / 1000).toFixed(2)} s (CPU ${(gold.cpu / 1000).toFixed(2)} s); ` +
          `aggregate scan ${scan.wall.toFixed(0)} ms (CPU ${scan.cpu.toFixed(0)} ms); ${lines.join('; ')}`,
      );
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  }
} finally {
  await dir.remove();
}
