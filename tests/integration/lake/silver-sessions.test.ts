import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLakeDb } from '../../../pipeline/lake/duckdb';
import { lakePaths } from '../../../pipeline/lake/layout';
import { quoteLiteral } from '../../../pipeline/query/sql-builder';
import { addToSilver } from '../../../pipeline/lake/silver/incremental';
import type { BronzeSlice } from '../../../pipeline/lake/silver/state';
import { tempDir } from '../../helpers/temp';

let dir: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir('clickpulse-sessions-');
});
afterAll(() => dir.remove());

/** One Bronze file of canonical events (no user_session), as the lake consumer writes them. */
async function bronzeFile(lake: string, first: number, events: [string, string][]): Promise<BronzeSlice> {
  const partition = lakePaths(lake).bronzePartition('clickpulse_events', 0);
  mkdirSync(partition, { recursive: true });
  const last = first + events.length - 1;
  const path = lakePaths(lake).bronzeFile('clickpulse_events', 0, BigInt(first), BigInt(last));
  const rows = events
    .map(([user, time], i) => {
      const value = JSON.stringify({
        event_time: time,
        event_type: 'view',
        user_id: user,
        product_id: String(i),
      });
      return `('clickpulse_events', 0, ${first + i}, ${quoteLiteral(user)}, encode(${quoteLiteral(value)}), MAP {'clickpulse.row': '${first + i}'}, now(), now())`;
    })
    .join(', ');
  await withLakeDb((db) =>
    db.run(`COPY (SELECT * FROM (VALUES ${rows}) AS t(topic, "partition", "offset", "key", "value", headers, kafka_timestamp, ingest_time))
      TO ${quoteLiteral(path)} (FORMAT parquet)`),
  );
  return { partition: 0, first, last, file: path.slice(lake.length + 1) };
}

describe('inactivity sessions across Silver batches', () => {
  it('continues a session begun in an earlier batch within 30 minutes, and starts a new one after', async () => {
    const lake = join(dir.path, 'lake');
    const a = await bronzeFile(lake, 0, [
      ['u1', '2019-10-01T23:50:00Z'],
      ['u1', '2019-10-01T23:55:00Z'],
    ]);
    const b = await bronzeFile(lake, 2, [
      ['u1', '2019-10-02T00:10:00Z'], // 15 minutes later, past midnight: the same session
      ['u1', '2019-10-02T01:30:00Z'], // 80 minutes later: a new one
    ]);
    await withLakeDb((db) => addToSilver(db, lake, 'clickpulse_events', [a]));
    await withLakeDb((db) => addToSilver(db, lake, 'clickpulse_events', [b]));
    const sessions = await withLakeDb(async (db) =>
      (
        await db.runAndReadAll(`SELECT strftime(event_time, '%H:%M') AS t, session_id FROM read_parquet(
          ${quoteLiteral(join(lakePaths(lake).silverEvents, '**', '*.parquet'))}, hive_partitioning = true) ORDER BY event_time`)
      ).getRowsJS(),
    );
    const [first, second, third, fourth] = sessions.map(([, id]) => String(id));
    expect(sessions.map(([t]) => t)).toEqual(['23:50', '23:55', '00:10', '01:30']);
    expect(new Set([first, second, third]).size).toBe(1);
    expect(fourth).not.toBe(first);
  });
});
