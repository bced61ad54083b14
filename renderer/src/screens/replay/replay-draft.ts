import type { Mapping, Settings, SourceInspection } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { DEFAULT_RUN_FORM, type RunForm } from './run-options';

/**
 * The Replay screen's state outside React: navigating away unmounts the screen, and this keeps the
 * inspected dataset, its mapping and the options typed. The last one is also saved in the settings
 * (never the password), so a restart brings it back.
 */
export interface ReplayDraft {
  inspection: SourceInspection | undefined;
  mapping: Mapping;
  form: RunForm;
}

let current: ReplayDraft = { inspection: undefined, mapping: {}, form: DEFAULT_RUN_FORM };
let persistTimer: ReturnType<typeof setTimeout> | undefined;
const PERSIST_AFTER_MS = 400;

export function replayDraft(): ReplayDraft {
  return current;
}

export function updateDraft(patch: Partial<ReplayDraft>): void {
  current = { ...current, ...patch };
  if (persistTimer) clearTimeout(persistTimer);
  persistTimer = setTimeout(() => void persist(), PERSIST_AFTER_MS);
}

// Closing or reloading the window right after typing: save at once rather than after the pause.
if (typeof window !== 'undefined')
  window.addEventListener('pagehide', () => {
    if (!persistTimer) return;
    clearTimeout(persistTimer);
    persistTimer = undefined;
    void persist();
  });

async function persist(): Promise<void> {
  persistTimer = undefined;
  const { inspection, mapping, form } = current;
  if (!inspection) return;
  const { password: _password, ...kept } = form;
  await api()
    .call('settings.update', { replayDraft: { path: inspection.path, mapping, form: kept } })
    .catch(() => undefined);
}

/** The saved form over the defaults, field by field, keeping only values of the right kind. */
export function restoreForm(saved: NonNullable<Settings['replayDraft']>['form']): RunForm {
  const form: Record<string, string | boolean> = { ...DEFAULT_RUN_FORM };
  for (const [key, value] of Object.entries(saved)) {
    const fallback = (DEFAULT_RUN_FORM as unknown as Record<string, unknown>)[key];
    if (key !== 'password' && fallback !== undefined && typeof fallback === typeof value) form[key] = value;
  }
  return form as unknown as RunForm;
}

/** For tests of the screen's module state. */
export function resetDraft(): void {
  current = { inspection: undefined, mapping: {}, form: DEFAULT_RUN_FORM };
}
