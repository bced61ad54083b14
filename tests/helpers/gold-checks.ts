import type { DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import { SAMPLE_CSV } from './query-lake';

/** The sample CSV read directly, as an analyst would check the lake (its sessions are user_session). */
const SAMPLE = `(SELECT CAST(replace(event_time, ' UTC', '+00') AS TIMESTAMPTZ) AS t, event_type, product_id, category_id,
  nullif(category_code, '') AS category_code, nullif(brand, '') AS brand, CAST(price AS DECIMAL(18,2)) AS price, user_id,
  user_session AS session FROM read_csv('${SAMPLE_CSV}', all_varchar = true))`;

/**
 * Each Gold table, the independent query it must equal over `csv` (a relation of distinct events with columns
 * t, event_type, product_id, category_id, category_code, brand, price, user_id, session), and the columns
 * compared. Days and hours of the UTC clock: callers' connections are in UTC.
 */
const goldChecks = (csv: string): [string, string, string][] => [
  [
    'traffic_minute',
    `SELECT date_trunc('minute', t) AS minute, event_type, count(*) AS events FROM ${csv} GROUP BY ALL`,
    'minute, event_type, events',
  ],
  [
    'funnel_daily',
    `SELECT CAST(t AS DATE) AS event_date, count(*) FILTER (event_type='view') AS views, count(*) FILTER (event_type='cart') AS carts,
       count(*) FILTER (event_type='purchase') AS purchases, count(DISTINCT user_id) FILTER (event_type='view') AS view_users,
       count(DISTINCT session) FILTER (event_type='purchase') AS purchase_sessions,
       coalesce(sum(price) FILTER (event_type='purchase'), 0) AS revenue FROM ${csv} GROUP BY 1`,
    'event_date, views, carts, purchases, view_users, purchase_sessions, revenue',
  ],
  [
    'category_daily',
    `SELECT CAST(t AS DATE) AS event_date, coalesce(nullif(split_part(category_code,'.',1),''),'(none)') AS category_l1,
       coalesce(nullif(split_part(category_code,'.',2),''),'(none)') AS category_l2, count(*) FILTER (event_type='view') AS views,
       coalesce(sum(price) FILTER (event_type='purchase'), 0) AS revenue FROM ${csv} GROUP BY ALL`,
    'event_date, category_l1, category_l2, views, revenue',
  ],
  [
    'brand_daily',
    `SELECT CAST(t AS DATE) AS event_date, coalesce(brand, '(none)') AS brand, count(*) FILTER (event_type='purchase') AS purchases,
       coalesce(sum(price) FILTER (event_type='purchase'), 0) AS revenue FROM ${csv} GROUP BY ALL`,
    'event_date, brand, purchases, revenue',
  ],
  [
    'product_performance',
    `SELECT product_id, count(*) FILTER (event_type='view') AS views, count(*) FILTER (event_type='purchase') AS purchases,
       coalesce(sum(price) FILTER (event_type='purchase'), 0) AS revenue FROM ${csv} GROUP BY 1`,
    'product_id, views, purchases, revenue',
  ],
  [
    'session_stats',
    `SELECT session AS session_id, min(t) AS session_start, max(t) AS session_end, count(*) AS events,
       coalesce(sum(price) FILTER (event_type='purchase'), 0) AS revenue FROM ${csv} GROUP BY 1`,
    'session_id, session_start, session_end, events, revenue',
  ],
  [
    'session_daily',
    `SELECT CAST(min(start) AS DATE) AS event_date, count(*) AS sessions, count(*) FILTER (n = 1) / count(*) AS bounce_rate
       FROM (SELECT session, min(t) AS start, count(*) AS n FROM ${csv} GROUP BY 1) GROUP BY CAST(start AS DATE)`,
    'event_date, sessions, bounce_rate',
  ],
  [
    'user_activity',
    `SELECT user_id, min(t) AS first_seen, max(t) AS last_seen, count(DISTINCT session) AS sessions, count(*) AS events,
       coalesce(sum(price) FILTER (event_type='purchase'), 0) AS revenue FROM ${csv} GROUP BY 1`,
    'user_id, first_seen, last_seen, sessions, events, revenue',
  ],
  [
    'hourly_heatmap',
    `SELECT CAST(isodow(t) AS INTEGER) AS day_of_week, CAST(hour(t) AS INTEGER) AS hour, count(*) AS events,
       coalesce(sum(price) FILTER (event_type='purchase'), 0) AS revenue FROM ${csv} GROUP BY ALL`,
    'day_of_week, hour, events, revenue',
  ],
];

/**
 * For every Gold table, the rows that differ from an independent DuckDB query over the source (the sample
 * CSV unless given), both ways (empty when they are equal).
 */
export async function goldDifferences(
  db: DuckDBConnection,
  lake: string,
  source = SAMPLE,
): Promise<[string, unknown[]][]> {
  const out: [string, unknown[]][] = [];
  for (const [table, expected, columns] of goldChecks(source)) {
    const gold = `(SELECT ${columns} FROM read_parquet('${join(lake, 'gold', table, '**', '*.parquet')}', hive_partitioning = true))`;
    const wanted = `(SELECT ${columns} FROM (${expected}))`;
    const diff = await db.runAndReadAll(
      `(${gold} EXCEPT ALL ${wanted}) UNION ALL (${wanted} EXCEPT ALL ${gold})`,
    );
    out.push([table, diff.getRowObjectsJS()]);
  }
  return out;
}
