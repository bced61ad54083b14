/**
 * The SQL behind each dashboard panel: Gold tables, filtered to the chosen (UTC) dates. Hours and weekdays are
 * taken of the UTC wall clock (timezone('UTC', …)), so they do not depend on the session's time zone. The KPI
 * "Conversion (sessions)" is view_purchase_sessions / view_sessions: sessions that viewed and purchased.
 */
export interface DateRange {
  from: string;
  to: string;
}

const between = (r: DateRange, column = 'event_date') =>
  `${column} BETWEEN DATE '${r.from}' AND DATE '${r.to}'`;

export const dashboardSql = {
  dates: 'SELECT min(event_date) AS first, max(event_date) AS last FROM gold.funnel_daily',
  kpis: (r: DateRange) => `
    SELECT sum(views) AS views, sum(carts) AS carts, sum(purchases) AS purchases, sum(revenue) AS revenue,
           sum(view_purchase_sessions) AS purchase_sessions, sum(view_sessions) AS view_sessions,
           (SELECT count(DISTINCT user_id) FROM silver.events WHERE ${between(r)}) AS users,
           (SELECT sum(sessions) FROM gold.session_daily WHERE ${between(r)}) AS sessions,
           (SELECT count(*) FILTER (WHERE carted AND NOT purchased) / nullif(count(*) FILTER (WHERE carted), 0)
              FROM gold.session_stats WHERE ${between(r)}) AS cart_abandonment,
           (SELECT count(DISTINCT session_id) FROM gold.session_stats WHERE purchased AND ${between(r)}) AS orders
    FROM gold.funnel_daily WHERE ${between(r)}`,
  traffic: (r: DateRange) => `
    SELECT minute, event_type, events FROM gold.traffic_minute WHERE ${between(r)} ORDER BY minute`,
  funnel: (r: DateRange) => `
    SELECT sum(views) AS view, sum(carts) AS cart, sum(purchases) AS purchase,
           sum(view_sessions) AS view_sessions, sum(cart_sessions) AS cart_sessions, sum(purchase_sessions) AS purchase_sessions
    FROM gold.funnel_daily WHERE ${between(r)}`,
  categories: (r: DateRange) => `
    SELECT category_l1, category_l2, sum(revenue) AS revenue, sum(views) AS views
    FROM gold.category_daily WHERE ${between(r)} GROUP BY ALL ORDER BY revenue DESC`,
  topProducts: (r: DateRange) => `
    SELECT product_id, any_value(brand) AS brand, count(*) FILTER (WHERE event_type = 'view') AS views,
           count(*) FILTER (WHERE event_type = 'purchase') AS purchases
    FROM silver.events WHERE ${between(r)} GROUP BY product_id ORDER BY views DESC, product_id LIMIT 10`,
  heatmap: (r: DateRange) => `
    SELECT CAST(isodow(timezone('UTC', minute)) AS INTEGER) AS day, CAST(hour(timezone('UTC', minute)) AS INTEGER) AS hour,
           sum(events) AS events
    FROM gold.traffic_minute WHERE ${between(r)} GROUP BY ALL`,
  durations: (r: DateRange) => `
    SELECT CASE WHEN duration_s < 10 THEN '< 10 s' WHEN duration_s < 60 THEN '10–60 s'
                WHEN duration_s < 300 THEN '1–5 min' WHEN duration_s < 1800 THEN '5–30 min' ELSE '≥ 30 min' END AS bucket,
           min(duration_s) AS ord, count(*) AS sessions
    FROM gold.session_stats WHERE ${between(r)} GROUP BY 1 ORDER BY ord`,
};

/** Only dates typed as YYYY-MM-DD reach the SQL above. */
export function isIsoDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text));
}
