import { SESSION_DURATION_BUCKETS } from '../contract';
import { quoteLiteral } from '../query/sql-builder';
import type { Scope } from './scope';

/**
 * The SQL of every dashboard panel, over the views a snapshot pins (pinned-files.ts):
 *   g_funnel, g_category, g_brand, g_traffic, g_sessions, g_users, g_products, g_heatmap — Gold's
 *   funnel_daily, category_daily, brand_daily, traffic_minute, session_stats, user_activity,
 *   product_performance and hourly_heatmap; s_events — Silver's events.
 * Gold answers when only dates are filtered; otherwise every panel reads `e` (Silver events within every
 * filter) and `es` (their sessions), so the panels of one snapshot always agree. Numbers leave as DOUBLE
 * and times as epoch milliseconds, so the rows are plain JSON.
 *
 * Speed (a 5M-row lake): no panel converts a time to the UTC wall clock per row (ICU's timezone() cost
 * ~0.2 s per panel over 800K rows): Silver's event_date and event_hour are already UTC, and a UTC minute,
 * hour or day starts at a multiple of its length in epoch milliseconds.
 */

/** Tables the Silver path builds once per snapshot, then every panel reads. */
export function silverTables(scope: Scope): string {
  return `
    CREATE OR REPLACE TEMP TABLE e AS
      SELECT event_time, event_date, event_hour, event_type, product_id, category_l1, category_l2, brand, price,
             user_id, session_id
      FROM s_events WHERE ${scope.silverWhere};
    CREATE OR REPLACE TEMP TABLE es AS ${sessionsOf('e')};
    CREATE OR REPLACE TEMP TABLE e_prev AS
      SELECT event_type, price, user_id, session_id, event_time FROM s_events WHERE ${scope.silverPreviousWhere};
    CREATE OR REPLACE TEMP TABLE es_prev AS ${sessionsOf('e_prev')};`;
}

/** Sessions as Gold's session_stats has them (the same duration_s), over the filtered events only. */
function sessionsOf(events: string): string {
  return `SELECT session_id,
      CAST(epoch(max(event_time)) - epoch(min(event_time)) AS BIGINT) AS duration_s,
      bool_or(event_type = 'view') AS viewed, bool_or(event_type = 'cart') AS carted,
      bool_or(event_type = 'purchase') AS purchased
    FROM ${events} GROUP BY session_id`;
}

const sessionFigures = (sessions: string) => `
  SELECT count(*)::DOUBLE AS sessions,
         (count(*) FILTER (WHERE purchased))::DOUBLE AS orders,
         (count(*) FILTER (WHERE viewed))::DOUBLE AS view_sessions,
         (count(*) FILTER (WHERE purchased))::DOUBLE AS purchase_sessions,
         (count(*) FILTER (WHERE carted AND NOT purchased) / nullif(count(*) FILTER (WHERE carted), 0))::DOUBLE AS cart_abandonment
  FROM ${sessions}`;

/**
 * Silver events Gold holds, near enough: those up to the end of the newest minute Gold has, for the figures
 * of the Gold path that Gold keeps only for the whole lake (users, products) when the period is shorter.
 */
const goldCut = (goldLatestMinuteMs: number) =>
  `event_time < make_timestamptz(${(goldLatestMinuteMs + 60_000) * 1000}::BIGINT)`;

/**
 * One row: the KPI figures of a period. Users are those with an event in it (and the filters): Gold's
 * user_activity has one row per user of the lake, so over the whole lake they are its row count, read from
 * the Parquet footers (counting 2.4M distinct ids in session_stats took 3–5 s at 5M rows); a shorter period
 * counts Silver's user_id column of its days only.
 */
export function kpiSql(scope: Scope, previous: boolean, goldLatestMinuteMs: number): string {
  if (scope.source === 'gold') {
    const where = previous ? scope.goldPreviousWhere : scope.goldWhere;
    // Over the whole lake the previous period lies before Gold's first day: it has no users either.
    const users = !scope.wholeLake
      ? `SELECT count(DISTINCT user_id)::DOUBLE AS users FROM s_events WHERE ${where} AND ${goldCut(goldLatestMinuteMs)}`
      : previous
        ? 'SELECT 0::DOUBLE AS users'
        : 'SELECT count(*)::DOUBLE AS users FROM g_users';
    return `SELECT f.*, s.*, u.* FROM (
        SELECT coalesce(sum(views), 0)::DOUBLE AS views, coalesce(sum(carts), 0)::DOUBLE AS carts,
               coalesce(sum(purchases), 0)::DOUBLE AS purchases, coalesce(sum(revenue), 0)::DOUBLE AS revenue
        FROM g_funnel WHERE ${where}) AS f,
      (${sessionFigures(`g_sessions WHERE ${where}`)}) AS s, (${users}) AS u`;
  }
  const [events, sessions] = previous ? ['e_prev', 'es_prev'] : ['e', 'es'];
  return `SELECT f.*, s.*, u.* FROM (
      SELECT (count(*) FILTER (WHERE event_type = 'view'))::DOUBLE AS views,
             (count(*) FILTER (WHERE event_type = 'cart'))::DOUBLE AS carts,
             (count(*) FILTER (WHERE event_type = 'purchase'))::DOUBLE AS purchases,
             coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0)::DOUBLE AS revenue
      FROM ${events}) AS f,
    (${sessionFigures(sessions)}) AS s,
    (SELECT count(DISTINCT user_id)::DOUBLE AS users FROM ${events}) AS u`;
}

const GRAIN_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** The start of the UTC minute, hour or day of a time, in epoch milliseconds (UTC has no offset to apply). */
const bucketMs = (time: string, grain: Scope['grain']) =>
  `(epoch_ms(${time}) // ${GRAIN_MS[grain]} * ${GRAIN_MS[grain]})::DOUBLE`;

export function trafficSql(scope: Scope): string {
  return scope.source === 'gold'
    ? `SELECT ${bucketMs('minute', scope.grain)} AS t, event_type, sum(events)::DOUBLE AS events
       FROM g_traffic WHERE ${scope.goldWhere} GROUP BY ALL ORDER BY t, event_type`
    : `SELECT ${bucketMs('event_time', scope.grain)} AS t, event_type, count(*)::DOUBLE AS events
       FROM e GROUP BY ALL ORDER BY t, event_type`;
}

/** Sessions that viewed, of those the ones that carted, of those the ones that purchased. */
export function funnelSql(scope: Scope): string {
  const sessions = scope.source === 'gold' ? `g_sessions WHERE ${scope.goldWhere}` : 'es';
  return `SELECT step, sessions FROM (
      SELECT (count(*) FILTER (WHERE viewed))::DOUBLE AS "Viewed",
             (count(*) FILTER (WHERE viewed AND carted))::DOUBLE AS "Carted",
             (count(*) FILTER (WHERE viewed AND carted AND purchased))::DOUBLE AS "Purchased"
      FROM ${sessions}) UNPIVOT (sessions FOR step IN ("Viewed", "Carted", "Purchased"))
    ORDER BY list_position(['Viewed', 'Carted', 'Purchased'], step)`;
}

export function categoriesSql(scope: Scope): string {
  return scope.source === 'gold'
    ? `SELECT category_l1, category_l2, sum(views)::DOUBLE AS views, sum(purchases)::DOUBLE AS purchases,
              sum(revenue)::DOUBLE AS revenue
       FROM g_category WHERE ${scope.goldWhere} GROUP BY ALL ORDER BY revenue DESC, views DESC, category_l1, category_l2`
    : `SELECT coalesce(category_l1, '(none)') AS category_l1, coalesce(category_l2, '(none)') AS category_l2,
              (count(*) FILTER (WHERE event_type = 'view'))::DOUBLE AS views,
              (count(*) FILTER (WHERE event_type = 'purchase'))::DOUBLE AS purchases,
              coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0)::DOUBLE AS revenue
       FROM e GROUP BY ALL ORDER BY revenue DESC, views DESC, category_l1, category_l2`;
}

const TOP_PRODUCTS_ORDER = 'ORDER BY views DESC, purchases DESC, product_id LIMIT 10';

/**
 * Over the whole lake Gold's product_performance answers (it has no dates); a shorter period reads
 * Silver's product columns of its days, cut at the newest minute Gold holds, so it shows no event the other
 * panels do not count yet. The brand is product_performance's: that of the product's latest event (the
 * greatest when several share that time; none when that event has none); events without a product are no
 * product's.
 */
export function topProductsSql(scope: Scope, goldLatestMinuteMs: number): string {
  if (scope.source === 'gold' && scope.wholeLake)
    return `SELECT product_id, brand, views::DOUBLE AS views, purchases::DOUBLE AS purchases
      FROM g_products ${TOP_PRODUCTS_ORDER}`;
  const from =
    scope.source === 'gold'
      ? `s_events WHERE ${scope.goldWhere} AND ${goldCut(goldLatestMinuteMs)} AND`
      : 'e WHERE';
  // Ranked first, then the brand of the ten only: the brand's tie-break over every product took 3× the rest.
  return `WITH top AS (
      SELECT product_id, (count(*) FILTER (WHERE event_type = 'view'))::DOUBLE AS views,
             (count(*) FILTER (WHERE event_type = 'purchase'))::DOUBLE AS purchases
      FROM ${from} product_id IS NOT NULL GROUP BY product_id ${TOP_PRODUCTS_ORDER}),
    brands AS (
      SELECT product_id, arg_max_null(brand, (event_time, brand IS NOT NULL, coalesce(brand, ''))) AS brand
      FROM ${from} product_id IN (SELECT product_id FROM top) GROUP BY product_id)
    SELECT product_id, brand, views, purchases FROM top LEFT JOIN brands USING (product_id) ${TOP_PRODUCTS_ORDER}`;
}

/** ISO day of week (1 = Monday) × hour, both of the UTC wall clock whatever the session's time zone. */
export function heatmapSql(scope: Scope): string {
  return scope.source === 'gold'
    ? `SELECT CAST(isodow(timezone('UTC', minute)) AS INTEGER) AS day, CAST(hour(timezone('UTC', minute)) AS INTEGER) AS hour, sum(events)::DOUBLE AS events
       FROM g_traffic WHERE ${scope.goldWhere} GROUP BY ALL ORDER BY day, hour`
    : `SELECT CAST(isodow(event_date) AS INTEGER) AS day, CAST(event_hour AS INTEGER) AS hour, count(*)::DOUBLE AS events
       FROM e GROUP BY ALL ORDER BY day, hour`;
}

export function durationsSql(scope: Scope): string {
  const sessions = scope.source === 'gold' ? `g_sessions WHERE ${scope.goldWhere}` : 'es';
  // Grouped by the bucket's number, named after: grouping 5M sessions by the label text took 3× as long.
  const index = SESSION_DURATION_BUCKETS.map((b, i) =>
    b.below === null ? `ELSE ${i}` : `WHEN duration_s < ${b.below} THEN ${i}`,
  ).join(' ');
  const label = SESSION_DURATION_BUCKETS.map((b, i) => `WHEN ${i} THEN ${quoteLiteral(b.label)}`).join(' ');
  return `SELECT CASE i ${label} END AS bucket, ord, sessions FROM (
            SELECT CASE ${index} END AS i, min(duration_s)::DOUBLE AS ord, count(*)::DOUBLE AS sessions
            FROM ${sessions} GROUP BY 1) ORDER BY ord`;
}

/** The filters' choices within the period's days, busiest first (from Gold whatever the source). */
export function optionsSql(scope: Scope): { l1: string; l2: string; brands: string } {
  return {
    l1: `SELECT category_l1 AS v FROM g_category WHERE ${scope.datesWhere} GROUP BY 1 ORDER BY sum(views) DESC, 1 LIMIT 200`,
    l2: `SELECT category_l2 AS v FROM g_category WHERE ${scope.datesWhere} GROUP BY 1 ORDER BY sum(views) DESC, 1 LIMIT 200`,
    brands: `SELECT brand AS v FROM g_brand WHERE ${scope.datesWhere} GROUP BY 1 ORDER BY sum(views) DESC, 1 LIMIT 200`,
  };
}

/**
 * Lake-wide totals each Gold table read here carries: equal when they come from the same Gold refresh
 * (Gold rewrites its tables one after the other, so a read in between could mix two refreshes). One scan
 * per table; revenue is compared on the small tables only: summing session_stats' and user_activity's
 * decimals cost 0.15 s at 5M sessions, and a refresh that adds rows changes their event counts anyway.
 */
const totals = (table: string, columns: Record<string, string>) =>
  `(SELECT ${Object.entries(columns)
    .map(([name, sum]) => `coalesce(${sum}, 0)::DOUBLE AS ${name}`)
    .join(', ')} FROM ${table})`;
export const GOLD_AGREEMENT_SQL = `SELECT * FROM
  ${totals('g_traffic', { traffic_events: 'sum(events)', traffic_views: "sum(events) FILTER (WHERE event_type = 'view')" })},
  ${totals('g_funnel', { funnel_views: 'sum(views)', funnel_purchases: 'sum(purchases)', funnel_revenue: 'sum(revenue)' })},
  ${totals('g_category', { category_views: 'sum(views)', category_purchases: 'sum(purchases)', category_revenue: 'sum(revenue)' })},
  ${totals('g_brand', { brand_views: 'sum(views)' })},
  ${totals('g_sessions', { session_events: 'sum(events)', session_views: 'sum(views)', session_purchases: 'sum(purchases)' })},
  ${totals('g_users', { user_events: 'sum(events)', user_purchases: 'sum(purchases)' })},
  ${totals('g_heatmap', { heatmap_events: 'sum(events)', heatmap_purchases: 'sum(purchases)', heatmap_revenue: 'sum(revenue)' })}`;

export const GOLD_EXTENT_SQL = `SELECT CAST(min(event_date) AS VARCHAR) AS first, CAST(max(event_date) AS VARCHAR) AS last,
  (SELECT epoch_ms(max(minute))::DOUBLE FROM g_traffic) AS latest_minute FROM g_funnel`;

export const SILVER_LATEST_SQL = `SELECT epoch_ms(max(event_time))::DOUBLE AS latest FROM s_events`;
