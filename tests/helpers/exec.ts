import { runChild } from './children';

/** Runs a real client program (kcat, python3) with optional stdin; resolves with its exit code and output. */
export const run = runChild;
