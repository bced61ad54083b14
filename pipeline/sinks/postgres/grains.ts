/**
 * The primary key of each Gold table in PostgreSQL: its grain, as the heading comment of its SQL file
 * (pipeline/lake/gold/<table>.sql) states it. `day` marks tables whose rows for a day depend only on that
 * day's events: the sink replaces such a table day by day (delete-and-insert of the changed days), the others
 * key by key. A Gold table missing here is not mirrored; the sink reports it by name.
 */
export interface Grain {
  key: string[];
  day: boolean;
}

export const goldGrains: Record<string, Grain> = {
  traffic_minute: { key: ['minute', 'event_type'], day: true },
  funnel_daily: { key: ['event_date'], day: true },
  category_daily: { key: ['event_date', 'category_l1', 'category_l2'], day: true },
  brand_daily: { key: ['event_date', 'brand'], day: true },
  product_performance: { key: ['product_id'], day: false },
  session_stats: { key: ['session_id'], day: false },
  session_daily: { key: ['event_date'], day: false },
  user_activity: { key: ['user_id'], day: false },
  hourly_heatmap: { key: ['day_of_week', 'hour'], day: false },
};

/** Silver's events: one row per event_id, partitioned by day (PostgreSQL wants the partition key in the PK). */
export const SILVER_TABLE = 'silver_events';
export const silverGrain: Grain = { key: ['event_date', 'event_id'], day: true };
