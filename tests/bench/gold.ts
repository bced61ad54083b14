/**
 * bench:gold — the cost of one Gold refresh as the lake grows. A generated REES46-shaped dataset (ROWS over
 * DAYS, default 200,000 over 3) is written as Bronze in event-time order and taken into the lake in STEPS
 * equal steps (default 20), each a Silver step then a Gold refresh, in this process, exactly as the refiner
 * runs them. Prints the wall and CPU time (user + system of the whole process, DuckDB's threads included) of
 * the Gold refresh at the first, the middle and the last step, and CPU per step. Day-grained tables and the
 * current start day of session_stats grow while a day fills, so the figure to watch is the last step of the
 * last day against the last step of the first day: the same place in a day, a lake DAYS times larger.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { withLakeDb } from '../../pipeline/lake/duckdb';
import { refreshGold } from '../../pipeline/lake/gold/refresh';
import { lakePaths } from '../../pipeline/lake/layout';
import { addToSilver } from '../../pipeline/lake/silver/incremental';
import type { BronzeSlice } from '../../pipeline/lake/silver/state';
import { generateDataset } from '../../pipeline/replay/generator/generate';
import { tempDir } from '../helpers/temp';

const rows = Number(process.env.ROWS ?? 200_000);
const days = Number(process.env.DAYS ?? 3);
const steps = Number(process.env.STEPS ?? 20);
const topic = 'clickpulse_events';
const partitions = 3;

const dir = await tempDir('clickpulse-bench-gold-');
try {
  const csv = join(dir.path, 'events.csv');
  await generateDataset({ rows, days, seed: 7, out: csv });
  const lake = join(dir.path, 'lake');
  // Bronze as the stream writes it: per partition (keyed by user), one file per step, in event-time order.
  const slices: BronzeSlice[][] = await withLakeDb(async (db) => {
    await db.run(`CREATE TABLE messages AS
      SELECT '${topic}' AS topic, CAST(hash(user_id) % ${partitions} AS INTEGER) AS "partition",
        CAST(row_number() OVER (PARTITION BY hash(user_id) % ${partitions} ORDER BY n) - 1 AS BIGINT) AS "offset",
        CAST(user_id AS VARCHAR) AS key,
        encode(to_json(struct_pack(event_time, event_type,
          product_id, category_id, category_code, brand, price, user_id, user_session))::VARCHAR) AS value,
        MAP {'clickpulse.source': 'bench', 'clickpulse.row': CAST(n AS VARCHAR)} AS headers,
        now() AS kafka_timestamp, now() AS ingest_time, n * ${steps} // ${rows} AS step
      FROM (SELECT row_number() OVER () AS n, * FROM read_csv('${csv}', all_varchar = true))`);
    const out: BronzeSlice[][] = [];
    for (let s = 0; s < steps; s++) {
      const ranges = await db.runAndReadAll(
        `SELECT "partition", min("offset"), max("offset") FROM messages WHERE step = ${s} GROUP BY 1 ORDER BY 1`,
      );
      const step: BronzeSlice[] = [];
      for (const [p, first, last] of ranges.getRowsJS()) {
        const part = Number(p);
        mkdirSync(lakePaths(lake).bronzePartition(topic, part), { recursive: true });
        const file = lakePaths(lake).bronzeFile(topic, part, BigInt(first as bigint), BigInt(last as bigint));
        await db.run(
          `COPY (SELECT * EXCLUDE (step) FROM messages WHERE step = ${s} AND "partition" = ${part} ORDER BY "offset") TO '${file}' (FORMAT parquet)`,
        );
        step.push({
          partition: part,
          first: Number(first),
          last: Number(last),
          file: file.slice(lake.length + 1),
        });
      }
      out.push(step);
    }
    return out;
  });
  const costs: { wall: number; cpu: number; silverRows: number }[] = [];
  let silverRows = 0;
  for (const step of slices) {
    await withLakeDb(async (db) => {
      const added = await addToSilver(db, lake, topic, step);
      silverRows += added.events;
      const started = performance.now();
      const cpu = process.cpuUsage();
      await refreshGold(db, lake, added.dates);
      const used = process.cpuUsage(cpu);
      costs.push({
        wall: (performance.now() - started) / 1000,
        cpu: (used.user + used.system) / 1e6,
        silverRows,
      });
    });
  }
  const show = (label: string, i: number) => {
    const c = costs[i];
    if (c)
      console.log(
        `${label} (step ${i + 1} of ${steps}, Silver ${c.silverRows.toLocaleString('en-US')} rows): Gold refresh ${c.wall.toFixed(3)} s wall, CPU ${c.cpu.toFixed(3)} s`,
      );
  };
  console.log(
    `${rows.toLocaleString('en-US')} generated rows over ${days} days in ${steps} steps of ~${Math.round(rows / steps).toLocaleString('en-US')}`,
  );
  show('first', 0);
  show('middle', Math.floor(steps / 2));
  show('last', steps - 1);
  console.log(`CPU per step (s): ${costs.map((c) => c.cpu.toFixed(2)).join(' ')}`);
  // A day's tables grow while the day fills: compare the last step of the first day with the last step of
  // the last day (the same place in a day, a lake DAYS times larger).
  const perDay = Math.floor(steps / days);
  const dayOne = costs[perDay - 1];
  const last = costs[costs.length - 1];
  if (dayOne && last && perDay >= 1) {
    show('end of day 1', perDay - 1);
    console.log(
      `end of the last day / end of day 1: wall ${(last.wall / dayOne.wall).toFixed(2)}×, CPU ${(last.cpu / dayOne.cpu).toFixed(2)}×`,
    );
  }
} finally {
  await dir.remove();
}
