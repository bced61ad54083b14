-- Silver step 6 (streaming only): sessions across steps. Inputs: silver_new (events.sql, this step's kept
-- events) and silver_context (Silver's events of the same days and the day before, from earlier steps).
-- A user's first inactivity session of this step (rows without user_session) continues their last one in
-- Silver when it starts at most 30 minutes after it, across midnight too.
UPDATE silver_new AS n SET session_id = c.sid FROM (
  SELECT f.user_id, f.first_sid, l.sid
  FROM (SELECT user_id, arg_min(session_id, event_time) AS first_sid, min(event_time) AS first_t
        FROM silver_new WHERE user_session IS NULL GROUP BY user_id) AS f
  JOIN (SELECT user_id, max(event_time) AS t, arg_max(session_id, event_time) AS sid
        FROM silver_context WHERE user_session IS NULL GROUP BY user_id) AS l
    USING (user_id)
  WHERE f.first_t >= l.t AND f.first_t - l.t <= INTERVAL 30 MINUTE
) AS c
WHERE n.user_id = c.user_id AND n.session_id = c.first_sid
