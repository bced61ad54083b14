import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The CLI (and the pipeline it drives) as plain Node ESM; every npm dependency stays external.
// The broker's worker thread is its own entry, emitted next to the CLI as broker-worker.js.
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
      },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        banner: (chunk) => (chunk.name === 'clickpulse' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
});
