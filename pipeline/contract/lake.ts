import type { CallSpec, EventSpec } from './define';

// Calls and events of the lake domain: every schema of this domain lives in this file.
export const lakeCalls = {} satisfies Record<string, CallSpec>;

export const lakeEvents = {} satisfies Record<string, EventSpec>;
