import { afterAll, afterEach, beforeEach } from 'vitest';
import { endAllChildren, markTest } from './children';

// Registered for every test file (vitest setupFiles): whatever a test started ends with it, pass or fail
// or timeout; what a beforeAll started ends with the file.
beforeEach(() => markTest(true));
afterEach(async () => {
  markTest(false);
  await endAllChildren('test');
});
afterAll(() => endAllChildren('all'));
