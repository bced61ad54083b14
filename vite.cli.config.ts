import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The CLI (and the pipeline it drives) as plain Node ESM; every npm dependency stays external.
// The broker's, the lake consumer's and the replay's worker threads are their own entries, emitted next to the CLI.
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      input: {
        clickpulse: resolve('pipeline/cli/clickpulse.ts'),
        'broker-worker': resolve('pipeline/broker/host/worker-entry.ts'),
        'lake-worker': resolve('pipeline/stream/host/lake-worker.ts'),
        'replay-worker': resolve('pipeline/replay/host/replay-worker.ts'),
      },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        banner: (chunk) => (chunk.name === 'clickpulse' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
});
