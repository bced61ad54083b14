import {
  FIXED_TOPIC_SETTINGS,
  fixedSettingProblem,
  isTopicSetting,
  parseTopicSetting,
  parseTopicSettings,
  type TopicSettings,
} from './topic-config';

/** IncrementalAlterConfigs' operations, by their wire number. */
export const ConfigOperation = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export interface ConfigChange {
  name: string;
  operation: number;
  value: string | null;
}

type Outcome = { ok: true; overrides: Partial<TopicSettings> } | { ok: false; message: string };

/**
 * IncrementalAlterConfigs on a topic: each change applies to the current overrides in order, SET replacing
 * a value and DELETE returning it to the broker default. APPEND and SUBTRACT are for list-valued configs;
 * the only one reported here, cleanup.policy, is fixed to "delete", so they are refused unless they would
 * leave it as it is.
 */
export function applyConfigChanges(current: Partial<TopicSettings>, changes: ConfigChange[]): Outcome {
  let overrides: Partial<TopicSettings> = { ...current };
  for (const { name, operation, value } of changes) {
    if (!isTopicSetting(name) && !(name in FIXED_TOPIC_SETTINGS)) {
      return { ok: false, message: `Unknown topic config name: ${name}` };
    }
    if (operation === ConfigOperation.DELETE) {
      overrides = Object.fromEntries(Object.entries(overrides).filter(([key]) => key !== name));
    } else if (operation === ConfigOperation.SET) {
      if (isTopicSetting(name)) {
        const parsed = parseTopicSetting(name, value);
        if (!parsed.ok) return parsed;
        overrides[name] = parsed.value;
      } else {
        const problem = fixedSettingProblem(name, value);
        if (problem) return { ok: false, message: problem };
      }
    } else if (operation === ConfigOperation.APPEND || operation === ConfigOperation.SUBTRACT) {
      const verb = operation === ConfigOperation.APPEND ? 'APPEND' : 'SUBTRACT';
      if (name !== 'cleanup.policy') {
        return {
          ok: false,
          message: `${verb} is only for list-valued configs and ${name} holds one value: use SET`,
        };
      }
      if (operation === ConfigOperation.SUBTRACT || value !== 'delete') {
        return {
          ok: false,
          message: `Configuration cleanup.policy can only be delete on this broker (${verb} ${String(value)} refused)`,
        };
      }
    } else {
      return { ok: false, message: `Unknown config operation ${operation} for ${name}` };
    }
  }
  return { ok: true, overrides };
}

/** AlterConfigs (the legacy call): the configs given become the topic's whole set of overrides. */
export function replaceConfigs(entries: { name: string; value: string | null }[]): Outcome {
  return parseTopicSettings(entries);
}
