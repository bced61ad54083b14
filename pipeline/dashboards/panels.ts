import { SESSION_DURATION_BUCKETS } from '../contract';
import { quoteLiteral } from '../query/sql-builder';
import type { Scope } from './scope';

/**
 * The SQL of every dashboard panel, over the views a snapshot pins (snapshot.ts):
 *   g_funnel, g_category, g_brand, g_traffic, g_sessions — Gold's funnel_daily, category_daily, brand_daily,
 *   traffic_minute and session_stats; s_events — Silver's events.
 * Gold answers when only dates are filtered; otherwise every panel reads `e` (Silver events within every
 * filter) and `es` (their sessions), so the panels of one snapshot always agree. Numbers leave as DOUBLE
 * and times as epoch milliseconds, so the rows are plain JSON.
 */

/** Tables the Silver path builds once per snapshot, then every panel reads. */
export function silverTables(scope: Scope): string {
  return `
    CREATE OR REPLACE TEMP TABLE e AS
      SELECT event_time, event_date, event_type, product_id, category_l1, category_l2, brand, price, user_id, session_id
      FROM s_events WHERE ${scope.silverWhere};
    CREATE OR REPLACE TEMP TABLE es AS ${sessionsOf('e')};
    CREATE OR REPLACE TEMP TABLE e_prev AS
      SELECT event_type, price, user_id, session_id, event_time FROM s_events WHERE ${scope.silverPreviousWhere};
    CREATE OR REPLACE TEMP TABLE es_prev AS ${sessionsOf('e_prev')};`;
}

/** Sessions as Gold's session_stats has them, over the filtered events only. */
function sessionsOf(events: string): string {
  return `SELECT session_id, arg_min(user_id, event_time) AS user_id,
      CAST(epoch(max(event_time)) - epoch(min(event_time)) AS BIGINT) AS duration_s,
      bool_or(event_type = 'view') AS viewed, bool_or(event_type = 'cart') AS carted,
      bool_or(event_type = 'purchase') AS purchased
    FROM ${events} GROUP BY session_id`;
}

const sessionFigures = (sessions: string) => `
  SELECT count(*)::DOUBLE AS sessions, count(DISTINCT user_id)::DOUBLE AS users,
         (count(*) FILTER (WHERE purchased))::DOUBLE AS orders,
         (count(*) FILTER (WHERE viewed))::DOUBLE AS view_sessions,
         (count(*) FILTER (WHERE purchased))::DOUBLE AS purchase_sessions,
         (count(*) FILTER (WHERE carted AND NOT purchased) / nullif(count(*) FILTER (WHERE carted), 0))::DOUBLE AS cart_abandonment
  FROM ${sessions}`;

/** One row: the KPI figures of a period. */
export function kpiSql(scope: Scope, previous: boolean): string {
  if (scope.source === 'gold') {
    const where = previous ? scope.goldPreviousWhere : scope.goldWhere;
    return `SELECT f.*, s.* FROM (
        SELECT coalesce(sum(views), 0)::DOUBLE AS views, coalesce(sum(carts), 0)::DOUBLE AS carts,
               coalesce(sum(purchases), 0)::DOUBLE AS purchases, coalesce(sum(revenue), 0)::DOUBLE AS revenue
        FROM g_funnel WHERE ${where}) AS f,
      (${sessionFigures(`g_sessions WHERE ${where}`)}) AS s`;
  }
  const [events, sessions] = previous ? ['e_prev', 'es_prev'] : ['e', 'es'];
  return `SELECT f.*, s.* FROM (
      SELECT (count(*) FILTER (WHERE event_type = 'view'))::DOUBLE AS views,
             (count(*) FILTER (WHERE event_type = 'cart'))::DOUBLE AS carts,
             (count(*) FILTER (WHERE event_type = 'purchase'))::DOUBLE AS purchases,
             coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0)::DOUBLE AS revenue
      FROM ${events}) AS f,
    (${sessionFigures(sessions)}) AS s`;
}

export function trafficSql(scope: Scope): string {
  return scope.source === 'gold'
    ? `SELECT epoch_ms(date_trunc('${scope.grain}', timezone('UTC', minute)))::DOUBLE AS t, event_type, sum(events)::DOUBLE AS events
       FROM g_traffic WHERE ${scope.goldWhere} GROUP BY ALL ORDER BY t, event_type`
    : `SELECT epoch_ms(date_trunc('${scope.grain}', timezone('UTC', event_time)))::DOUBLE AS t, event_type, count(*)::DOUBLE AS events
       FROM e GROUP BY ALL ORDER BY t, event_type`;
}

/** Sessions that viewed, of those the ones that carted, of those the ones that purchased. */
export function funnelSql(scope: Scope): string {
  const sessions = scope.source === 'gold' ? `g_sessions WHERE ${scope.goldWhere}` : 'es';
  return `SELECT step, sessions FROM (
      SELECT (count(*) FILTER (WHERE viewed))::DOUBLE AS "Viewed",
             (count(*) FILTER (WHERE viewed AND carted))::DOUBLE AS "Carted",
             (count(*) FILTER (WHERE viewed AND carted AND purchased))::DOUBLE AS "Purchased"
      FROM ${sessions}) UNPIVOT (sessions FOR step IN ("Viewed", "Carted", "Purchased"))`;
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

/**
 * Gold's product table covers all time (no dates), so top products always read Silver: on the Gold path
 * cut at the newest minute Gold holds, so it shows no event the other panels do not count yet.
 */
export function topProductsSql(scope: Scope, goldLatestMinuteMs: number): string {
  const from =
    scope.source === 'gold'
      ? `s_events WHERE ${scope.goldWhere} AND event_time < make_timestamptz(${(goldLatestMinuteMs + 60_000) * 1000}::BIGINT)`
      : 'e';
  return `SELECT product_id, arg_max(brand, event_time) AS brand,
          (count(*) FILTER (WHERE event_type = 'view'))::DOUBLE AS views,
          (count(*) FILTER (WHERE event_type = 'purchase'))::DOUBLE AS purchases
    FROM ${from} GROUP BY product_id ORDER BY views DESC, purchases DESC, product_id LIMIT 10`;
}

/** ISO day of week (1 = Monday) × hour, both of the UTC wall clock whatever the session's time zone. */
export function heatmapSql(scope: Scope): string {
  return scope.source === 'gold'
    ? `SELECT CAST(isodow(timezone('UTC', minute)) AS INTEGER) AS day, CAST(hour(timezone('UTC', minute)) AS INTEGER) AS hour, sum(events)::DOUBLE AS events
       FROM g_traffic WHERE ${scope.goldWhere} GROUP BY ALL ORDER BY day, hour`
    : `SELECT CAST(isodow(timezone('UTC', event_time)) AS INTEGER) AS day, CAST(hour(timezone('UTC', event_time)) AS INTEGER) AS hour, count(*)::DOUBLE AS events
       FROM e GROUP BY ALL ORDER BY day, hour`;
}

export function durationsSql(scope: Scope): string {
  const sessions = scope.source === 'gold' ? `g_sessions WHERE ${scope.goldWhere}` : 'es';
  const cases = SESSION_DURATION_BUCKETS.map((b) =>
    b.below === null
      ? `ELSE ${quoteLiteral(b.label)}`
      : `WHEN duration_s < ${b.below} THEN ${quoteLiteral(b.label)}`,
  ).join(' ');
  return `SELECT CASE ${cases} END AS bucket, min(duration_s)::DOUBLE AS ord, count(*)::DOUBLE AS sessions
          FROM ${sessions} GROUP BY 1 ORDER BY ord`;
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
 * (Gold rewrites its tables one after the other, so a read in between could mix two refreshes).
 */
export const GOLD_AGREEMENT_SQL = `SELECT
  (SELECT coalesce(sum(views), 0) FROM g_funnel)::DOUBLE AS funnel_views,
  (SELECT coalesce(sum(views), 0) FROM g_category)::DOUBLE AS category_views,
  (SELECT coalesce(sum(views), 0) FROM g_brand)::DOUBLE AS brand_views,
  (SELECT coalesce(sum(events) FILTER (WHERE event_type = 'view'), 0) FROM g_traffic)::DOUBLE AS traffic_views,
  (SELECT coalesce(sum(views), 0) FROM g_sessions)::DOUBLE AS session_views,
  (SELECT coalesce(sum(purchases), 0) FROM g_funnel)::DOUBLE AS funnel_purchases,
  (SELECT coalesce(sum(purchases), 0) FROM g_category)::DOUBLE AS category_purchases,
  (SELECT coalesce(sum(purchases), 0) FROM g_sessions)::DOUBLE AS session_purchases,
  (SELECT coalesce(sum(revenue), 0) FROM g_funnel)::DOUBLE AS funnel_revenue,
  (SELECT coalesce(sum(revenue), 0) FROM g_category)::DOUBLE AS category_revenue,
  (SELECT coalesce(sum(revenue), 0) FROM g_sessions)::DOUBLE AS session_revenue`;

export const GOLD_EXTENT_SQL = `SELECT CAST(min(event_date) AS VARCHAR) AS first, CAST(max(event_date) AS VARCHAR) AS last,
  (SELECT epoch_ms(max(minute))::DOUBLE FROM g_traffic) AS latest_minute FROM g_funnel`;

export const SILVER_LATEST_SQL = `SELECT epoch_ms(max(event_time))::DOUBLE AS latest FROM s_events`;
