import { join } from 'node:path';

/**
 * Where everything lives in a lake folder. Plain Parquet plus small JSON manifests, so DuckDB, Spark and pandas
 * read every layer without this app:
 *
 *   <lake>/bronze/<topic>/partition=<p>/<first-offset>-<last-offset>.parquet   (offsets zero-padded to 20 digits)
 *   <lake>/silver/events/event_date=YYYY-MM-DD/*.parquet                         (part-*: a streaming step's; c-*: merged by
 *                                                                                silver/compact.ts, `.c-*.replaces.json` its note)
 *   <lake>/silver/quarantine/*.parquet
 *   <lake>/silver/dq_daily/<YYYY-MM-DD>.parquet                                 (silver.dq_daily: event_date, reason, rows)
 *   <lake>/gold/<table>/event_date=YYYY-MM-DD/data.parquet                      (day-grained tables; session_stats by start day)
 *   <lake>/gold/user_activity/part-NN.parquet                                   (users by hash bucket)
 *   <lake>/gold/<table>/data.parquet                                            (product_performance, hourly_heatmap)
 *   <lake>/_state/…                                                              (manifests, checkpoints)
 *   <lake>/_state/silver/<topic>.json                                            (Silver's Bronze watermark)
 *   <lake>/_state/silver-ledger/event_date=YYYY-MM-DD/*.parquet                  (every valid event Silver saw, with its outcome)
 *   <lake>/_state/silver-dq/<YYYY-MM-DD>.json                                    (a day's dq counts before the last step's)
 *   <lake>/_state/gold/whole.json                                                (whole-lake Gold: written through, or cut short)
 *   <lake>/_state/gold/silver-files/<YYYY-MM-DD>.json                            (the Silver files of a day Gold took in)
 *   <lake>/_state/gold/session-index/event_date=YYYY-MM-DD/index.parquet         (hashes of the sessions starting that day)
 *   <lake>/_state/gold/user-orders.parquet                                       (user_id, order_id pairs Gold counted)
 *
 * Every file is written to a temp name first and renamed into place, so a reader never sees half a file.
 * Temp files start with '.' or '_' so Parquet globs (which skip neither) must use the patterns below.
 */
export const LAYERS = ['bronze', 'silver', 'gold'] as const;
export type Layer = (typeof LAYERS)[number];

export const OFFSET_DIGITS = 20;

export function lakePaths(lake: string) {
  return {
    root: lake,
    bronze: join(lake, 'bronze'),
    bronzeTopic: (topic: string) => join(lake, 'bronze', topic),
    bronzePartition: (topic: string, partition: number) =>
      join(lake, 'bronze', topic, `partition=${partition}`),
    bronzeFile: (topic: string, partition: number, first: bigint, last: bigint) =>
      join(lake, 'bronze', topic, `partition=${partition}`, `${pad(first)}-${pad(last)}.parquet`),
    silver: join(lake, 'silver'),
    silverEvents: join(lake, 'silver', 'events'),
    silverEventsDate: (date: string) => join(lake, 'silver', 'events', `event_date=${date}`),
    quarantine: join(lake, 'silver', 'quarantine'),
    /** Data quality per UTC day and reason: one file per day, `<date>.parquet`, rewritten when the day changes. */
    silverDq: join(lake, 'silver', 'dq_daily'),
    silverDqDate: (date: string) => join(lake, 'silver', 'dq_daily', `${date}.parquet`),
    silverState: (topic: string) => join(lake, '_state', 'silver', `${topic}.json`),
    silverLedger: join(lake, '_state', 'silver-ledger'),
    /** Per day, the dq counts before the last streaming step added its own (so a redone step adds them once). */
    silverDqState: join(lake, '_state', 'silver-dq'),
    silverLedgerDate: (date: string) => join(lake, '_state', 'silver-ledger', `event_date=${date}`),
    gold: join(lake, 'gold'),
    goldTable: (table: string) => join(lake, 'gold', table),
    goldState: join(lake, '_state', 'gold'),
    state: join(lake, '_state'),
  };
}

/** Glob of a folder's committed Parquet files (temp files end in .tmp, never .parquet). */
export function parquetGlob(dir: string, recursive = true): string {
  return recursive ? join(dir, '**', '*.parquet') : join(dir, '*.parquet');
}

export function pad(offset: bigint): string {
  return offset.toString().padStart(OFFSET_DIGITS, '0');
}
