import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { scalar } from '../lake/duckdb';
import { lakePaths } from '../lake/layout';
import parseSql from '../lake/silver/parse.sql?raw';
import eventsSql from '../lake/silver/events.sql?raw';
import quarantineSql from '../lake/silver/quarantine.sql?raw';
import { quoteLiteral } from '../query/sql-builder';

export interface SilverStep {
  events: number;
  quarantined: number;
  /** event_date values that received events (Gold recomputes these). */
  dates: string[];
}

/** Which Bronze files Silver has taken in: `_state/silver-stream/<topic>.json`. */
export function silverStateFile(lake: string, topic: string): string {
  return join(lakePaths(lake).state, 'silver-stream', `${topic}.json`);
}

export function processedBronze(lake: string, topic: string): Set<string> {
  const file = silverStateFile(lake, topic);
  if (!existsSync(file)) return new Set();
  try {
    return new Set((JSON.parse(readFileSync(file, 'utf8')) as { files: string[] }).files);
  } catch {
    return new Set();
  }
}

export function saveProcessed(lake: string, topic: string, files: Set<string>): void {
  const file = silverStateFile(lake, topic);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify({ files: [...files].sort() }));
  renameSync(`${file}.tmp`, file);
}

/**
 * Adds new Bronze files to Silver with the same SQL as the batch build (silver/parse.sql, events.sql,
 * quarantine.sql). Each step writes new files named after its batch — one per event date, plus one of
 * quarantined records — and never rewrites old ones, so readers always see whole files. An event already in
 * Silver (same event_id, hence same date) is left out, which also makes a step repeated after a crash
 * harmless: its own earlier output is replaced, everything else is deduplicated against.
 */
export async function addToSilver(
  db: DuckDBConnection,
  lake: string,
  topic: string,
  bronzeFiles: string[],
): Promise<SilverStep> {
  const paths = lakePaths(lake);
  const batch = createHash('sha256').update(bronzeFiles.join('\n')).digest('hex').slice(0, 16);
  const part = `part-${batch}.parquet`;
  const list = bronzeFiles.map((f) => quoteLiteral(join(lake, f))).join(', ');
  await db.run(`DROP VIEW IF EXISTS bronze_batch; DROP TABLE IF EXISTS silver_parsed; DROP TABLE IF EXISTS silver_batch;
    CREATE TEMP VIEW bronze_batch AS SELECT * FROM read_parquet([${list}]);
    CREATE TEMP TABLE silver_parsed AS ${parseSql};
    CREATE TEMP TABLE silver_batch AS ${eventsSql};`);
  const dates = (
    await db.runAndReadAll('SELECT DISTINCT CAST(event_date AS VARCHAR) FROM silver_batch ORDER BY 1')
  )
    .getRowsJS()
    .map(([d]) => String(d));
  const filesOf = (day: string) => {
    const dir = paths.silverEventsDate(day);
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((n) => n.endsWith('.parquet') && n !== part)
          .map((n) => join(dir, n))
      : [];
  };
  const existing = dates.flatMap(filesOf);
  await db.run(`DROP TABLE IF EXISTS silver_new; CREATE TEMP TABLE silver_new AS SELECT * FROM silver_batch b
    ${existing.length ? `WHERE NOT EXISTS (SELECT 1 FROM read_parquet([${existing.map(quoteLiteral).join(', ')}]) e WHERE e.event_id = b.event_id)` : ''}`);
  // Inactivity sessions (rows without user_session) may have begun in an earlier batch: a user's first
  // session here continues the last one in Silver if it is at most 30 minutes later (the day before counts).
  const context = [...new Set([...dates, ...dates.map(dayBefore)])].flatMap(filesOf);
  if (context.length) {
    await db.run(`UPDATE silver_new AS n SET session_id = c.sid FROM (
        SELECT f.user_id, f.first_sid, l.sid
        FROM (SELECT user_id, arg_min(session_id, event_time) AS first_sid, min(event_time) AS first_t
              FROM silver_new WHERE user_session IS NULL GROUP BY user_id) AS f
        JOIN (SELECT user_id, max(event_time) AS t, arg_max(session_id, event_time) AS sid
              FROM read_parquet([${context.map(quoteLiteral).join(', ')}]) WHERE user_session IS NULL GROUP BY user_id) AS l
          USING (user_id)
        WHERE f.first_t >= l.t AND f.first_t - l.t <= INTERVAL 30 MINUTE
      ) AS c
      WHERE n.user_id = c.user_id AND n.session_id = c.first_sid`);
  }
  for (const date of dates) {
    const dir = paths.silverEventsDate(date);
    mkdirSync(dir, { recursive: true });
    const temp = join(dir, `.${part}.tmp`);
    await db.run(`COPY (SELECT * EXCLUDE (event_date) FROM silver_new WHERE event_date = ${quoteLiteral(date)}::DATE ORDER BY event_time)
      TO ${quoteLiteral(temp)} (FORMAT parquet, COMPRESSION zstd)`);
    renameSync(temp, join(dir, part));
  }
  const quarantined = await scalar(db, 'SELECT count(*) FROM silver_parsed WHERE reason IS NOT NULL');
  mkdirSync(paths.quarantine, { recursive: true });
  const qFile = join(paths.quarantine, part);
  if (quarantined > 0) {
    await db.run(`COPY (${quarantineSql}) TO ${quoteLiteral(`${qFile}.tmp`)} (FORMAT parquet)`);
    renameSync(`${qFile}.tmp`, qFile);
  } else {
    rmSync(qFile, { force: true });
  }
  const events = await scalar(db, 'SELECT count(*) FROM silver_new');
  const done = processedBronze(lake, topic);
  for (const f of bronzeFiles) done.add(f);
  saveProcessed(lake, topic, done);
  return { events, quarantined, dates };
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
