import type { CallSpec, EventSpec } from './define';

// Calls and events of the replay domain: every schema of this domain lives in this file.
export const replayCalls = {} satisfies Record<string, CallSpec>;

export const replayEvents = {} satisfies Record<string, EventSpec>;
