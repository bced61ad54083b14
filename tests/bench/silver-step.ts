/**
 * bench:silver-step — does a Silver step cost more as its day fills? One UTC day of Bronze (ROWS, default
 * 1.2M; STEP, default 20,000) is taken in by addToSilver: a measured step of STEP rows, then the rest of a
 * quarter of the day in one unmeasured step, and so on, so the measured steps meet a day of ~0, ¼, ½ and ¾ of
 * ROWS already in Silver (deduplication reads that day's ledger; stitching reads its events). Each measured
 * step's wall and CPU time are printed, with the day's Silver and ledger file counts; compaction between
 * (COMPACT=1) merges the day's files first. Asserts nothing.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { limitLakeDb } from '../../pipeline/lake/duckdb';
import { lakePaths } from '../../pipeline/lake/layout';
import { compactSilver } from '../../pipeline/lake/silver/compact';
import { addToSilver } from '../../pipeline/lake/silver/incremental';
import type { BronzeSlice } from '../../pipeline/lake/silver/state';
import { tempDir } from '../helpers/temp';

const rows = Number(process.env.ROWS ?? 1_200_000);
const step = Number(process.env.STEP ?? 20_000);
const compact = process.env.COMPACT === '1';
const topic = 'clickpulse_events';

const dir = await tempDir('clickpulse-bench-silver-step-');
const lake = join(dir.path, 'lake');
const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
try {
  await limitLakeDb(db);
  const paths = lakePaths(lake);
  mkdirSync(paths.bronzePartition(topic, 0), { recursive: true });
  // Bronze files for offsets [first, last]: REES46-shaped JSON over one day, 50k users, lineage headers.
  const bronze = async (first: number, last: number): Promise<BronzeSlice> => {
    const file = paths.bronzeFile(topic, 0, BigInt(first), BigInt(last));
    await db.run(`COPY (
        SELECT '${topic}' AS topic, 0 AS "partition", range::BIGINT AS "offset", 'u' || (hash(range) % 50000) AS key,
          encode(to_json(json_object(
            'event_time', strftime(TIMESTAMPTZ '2019-10-01 00:00:00+00' + to_milliseconds(range * 86400000 // ${rows}), '%Y-%m-%dT%H:%M:%S.%gZ'),
            'event_type', (['view','view','view','cart','purchase'])[1 + range % 5], 'product_id', 'p' || (hash(range * 3) % 20000),
            'category_id', 'c' || (hash(range * 5) % 300), 'category_code', 'electronics.smartphone', 'brand', 'apple',
            'price', (hash(range * 7) % 100000) / 100.0, 'user_id', 'u' || (hash(range) % 50000),
            'user_session', 'u' || (hash(range) % 50000) || '-' || (range * 24 // ${rows}), 'order_id', NULL))::VARCHAR) AS value,
          MAP {'clickpulse.source': 'bench', 'clickpulse.row': CAST(range + 1 AS VARCHAR)} AS headers,
          now() AS kafka_timestamp, now() AS ingest_time
        FROM range(${first}, ${last + 1})
      ) TO '${file}' (FORMAT parquet)`);
    return { partition: 0, first, last, file: file.slice(lake.length + 1) };
  };
  const files = (d: string) =>
    existsSync(d) ? readdirSync(d).filter((n) => n.endsWith('.parquet')).length : 0;
  let next = 0;
  console.log(
    `one day of ${rows.toLocaleString('en-US')} rows, measured steps of ${step.toLocaleString('en-US')}${compact ? ', compacted between' : ''}`,
  );
  for (let quarter = 1; quarter <= 4; quarter++) {
    const slice = await bronze(next, next + step - 1);
    const silverFiles = files(paths.silverEventsDate('2019-10-01'));
    const cpu = process.cpuUsage();
    const started = performance.now();
    await addToSilver(db, lake, topic, [slice]);
    const used = process.cpuUsage(cpu);
    console.log(
      `day holding ${next.toLocaleString('en-US')} rows in ${silverFiles} files: step ${(performance.now() - started).toFixed(0)} ms, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms`,
    );
    next += step;
    const until = Math.floor((rows * quarter) / 4);
    if (quarter === 4 || until <= next) continue;
    // The rest of the quarter in steps of 10 × STEP (unmeasured): a day of many files, as the stream leaves it.
    while (next < until) {
      const last = Math.min(until, next + step * 10) - 1;
      await addToSilver(db, lake, topic, [await bronze(next, last)]);
      next = last + 1;
    }
    if (compact)
      await compactSilver(db, lake, topic, { smallRows: 1e9, maxRows: 1e9, minFiles: 2, graceMs: 0 });
  }
} finally {
  db.closeSync();
  instance.closeSync();
  await dir.remove();
}
