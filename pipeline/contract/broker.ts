import type { CallSpec, EventSpec } from './define';

// Calls and events of the broker domain: every schema of this domain lives in this file.
export const brokerCalls = {} satisfies Record<string, CallSpec>;

export const brokerEvents = {} satisfies Record<string, EventSpec>;
