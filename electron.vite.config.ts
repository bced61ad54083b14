import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Sources live in main/, preload/ and renderer/ (not src/); output goes to out/<process>.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The Workbench runs in an Electron utility process (workbench-host.js) and the broker in a worker
      // thread of it (broker-worker.js): both entries are emitted next to main's.
      rollupOptions: {
        input: {
          index: resolve('main/index.ts'),
          'workbench-host': resolve('pipeline/app/host/utility-entry.ts'),
          'broker-worker': resolve('pipeline/broker/host/worker-entry.ts'),
          'lake-worker': resolve('pipeline/stream/host/lake-worker.ts'),
          'replay-worker': resolve('pipeline/replay/host/replay-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads can require() nothing but electron: bundle zod and the contract in.
      externalizeDeps: false,
      // A sandboxed preload cannot be an ES module.
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
