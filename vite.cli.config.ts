import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The CLI (and the pipeline it drives) as plain Node ESM; every npm dependency stays external.
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      input: { clickpulse: resolve('pipeline/cli/clickpulse.ts') },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        banner: (chunk) => (chunk.name === 'clickpulse' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
});
