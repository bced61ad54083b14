import type { CallSpec, EventSpec } from './define';

// Calls and events of the export domain: every schema of this domain lives in this file.
export const exportCalls = {} satisfies Record<string, CallSpec>;

export const exportEvents = {} satisfies Record<string, EventSpec>;
