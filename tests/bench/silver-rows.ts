/**
 * REES46-shaped Silver rows for the benchmarks that need a big Silver fast (bench:ui, bench:silver-layout):
 * one UTC day (2019-10-01) in event_time order, every Silver column, written straight with DuckDB rather than
 * through replay and the stream. User ids are drawn from 3M, so a user has a few events scattered over the day.
 */
export function benchSilverSelect(rows: number): string {
  return `
    SELECT md5(range::VARCHAR) AS event_id,
           TIMESTAMPTZ '2019-10-01 00:00:00+00' + to_milliseconds(range * 17) AS event_time,
           (['view','view','view','view','view','view','view','view','cart','purchase'])[1 + range % 10] AS event_type,
           CAST(1000000 + hash(range) % 150000 AS VARCHAR) AS product_id,
           CAST(2053013555631882655 + hash(range) % 1000 AS VARCHAR) AS category_id,
           CAST(round(1 + (hash(range * 7) % 200000) / 100.0, 2) AS DECIMAL(18,2)) AS price,
           CAST(500000000 + hash(range * 13) % 3000000 AS VARCHAR) AS user_id,
           -- The rest of Silver's columns (after the ones the grid figures above use, in the same places).
           CAST(hour(TIMESTAMPTZ '2019-10-01 00:00:00+00' + to_milliseconds(range * 17)) AS INTEGER) AS event_hour,
           (['electronics.smartphone', 'appliances.kitchen.oven', 'computers.notebook', NULL])[1 + (hash(range) % 4)::BIGINT] AS category_code,
           (['electronics', 'appliances', 'computers', NULL])[1 + (hash(range) % 4)::BIGINT] AS category_l1,
           (['smartphone', 'kitchen', 'notebook', NULL])[1 + (hash(range) % 4)::BIGINT] AS category_l2,
           (['samsung', 'apple', 'xiaomi', 'huawei', 'lg', NULL])[1 + (hash(range * 3) % 6)::BIGINT] AS brand,
           CAST(500000000 + hash(range * 13) % 3000000 AS VARCHAR) || '-' || (range // 50000) AS user_session,
           CAST(500000000 + hash(range * 13) % 3000000 AS VARCHAR) || '-' || (range // 50000) AS session_id,
           NULL::VARCHAR AS order_id,
           'bench' AS source_id, range + 1 AS source_row, 'clickpulse_events' AS topic,
           0 AS "partition", range AS "offset"
    FROM range(${rows})`;
}
