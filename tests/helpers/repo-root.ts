import { join } from 'node:path';

/** The checkout's root folder (imports nothing from the app, so benchmarks run under tsx). */
export const repoRoot = join(import.meta.dirname, '..', '..');
