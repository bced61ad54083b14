import { join } from 'node:path';
import { startChild, type TestChild } from './children';
import { repoRoot } from './repo-root';

export const builtCli = join(repoRoot, 'out', 'cli', 'clickpulse.js');

/** Starts the built CLI (`npm run build` first) as a registered child: it ends with the test. */
export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): TestChild {
  return startChild(process.execPath, [builtCli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
  });
}

/** Starts the built "clickpulse web" and resolves with the URL it prints on stdout. */
export async function startWebCli(
  args: string[],
): Promise<{ url: string; child: TestChild['child']; stop: () => Promise<void> }> {
  const web = startCli(['web', ...args]);
  const url = await web.line();
  return {
    url,
    child: web.child,
    stop: async () => {
      await web.stop('SIGTERM');
    },
  };
}
