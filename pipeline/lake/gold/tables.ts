import brandDaily from './brand_daily.sql?raw';
import categoryDaily from './category_daily.sql?raw';
import funnelDaily from './funnel_daily.sql?raw';
import hourlyHeatmap from './hourly_heatmap.sql?raw';
import productPerformance from './product_performance.sql?raw';
import sessionDaily from './session_daily.sql?raw';
import sessionStats from './session_stats.sql?raw';
import trafficMinute from './traffic_minute.sql?raw';
import userActivity from './user_activity.sql?raw';

/** The Gold tables, each defined by one SQL file over the view silver_events. */
export const goldTables: Record<string, string> = {
  traffic_minute: trafficMinute,
  funnel_daily: funnelDaily,
  category_daily: categoryDaily,
  brand_daily: brandDaily,
  product_performance: productPerformance,
  session_stats: sessionStats,
  session_daily: sessionDaily,
  user_activity: userActivity,
  hourly_heatmap: hourlyHeatmap,
};
