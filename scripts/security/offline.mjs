// Loaded into the electronegativity process with `node --import`. Its only network use is optional:
// translated messages at start-up and Electron's release list (a check we exclude). Both go through `got`,
// which retries with back-off for about 8 s when offline; answering "offline" at once keeps the gate fast
// and its result the same with or without a network. Nothing else in the scan is touched.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const fromScanner = createRequire(require.resolve('@doyensec/electronegativity/package.json'));
const gotPath = fromScanner.resolve('got');
const offline = () => Promise.reject(new Error('electronegativity runs offline in this project'));
require.cache[gotPath] = {
  id: gotPath,
  filename: gotPath,
  loaded: true,
  exports: Object.assign(offline, { default: offline }),
};
