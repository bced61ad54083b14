import eventRulesSql from './event_rules.sql?raw';

/** event_rules.sql: the WHEN clauses, for a CASE that gives a record's reason. */
export const EVENT_RULES = eventRulesSql;

const MARKER = '/* event_rules.sql */';

/**
 * A SQL file with event_rules.sql in place of its `/* event_rules.sql *\/` marker (inside a CASE): the
 * replay's dead-letter check and Silver's quarantine apply the same rules from the one file.
 */
export function withEventRules(sql: string): string {
  if (!sql.includes(MARKER)) throw new Error(`no ${MARKER} marker to put the event rules in`);
  return sql.replace(MARKER, eventRulesSql);
}
