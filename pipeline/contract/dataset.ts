import type { CallSpec, EventSpec } from './define';

// Calls and events of the dataset domain (getting real data: downloading REES46 months): every schema of
// this domain lives in this file.
export const datasetCalls = {} satisfies Record<string, CallSpec>;

export const datasetEvents = {} satisfies Record<string, EventSpec>;
