import type { CallSpec, EventSpec } from './define';

// Calls and events of the query domain: every schema of this domain lives in this file.
export const queryCalls = {} satisfies Record<string, CallSpec>;

export const queryEvents = {} satisfies Record<string, EventSpec>;
