import { join } from 'node:path';
import { Workbench } from '../../pipeline/workbench';
import { tempDir } from './temp';

export { repoRoot } from './repo-root';
import { repoRoot } from './repo-root';

/** A Workbench on throw-away config and lake folders, as the web transport would create it, its folder picked. */
export async function testWorkbench(): Promise<{
  workbench: Workbench;
  dir: string;
  dispose: () => Promise<void>;
}> {
  const dir = await tempDir();
  const workbench = new Workbench({
    transport: 'web',
    configDir: join(dir.path, 'config'),
    lakeDir: join(dir.path, 'lake'),
    resourcesDir: join(repoRoot, 'resources'),
    version: '0.0.0-test',
  });
  // As if the user had picked the test's folder and the fixtures in the picker: tests that call through
  // dispatch() (a page's entry) use them freely; tests/unit/path-grants.test.ts covers the refusals.
  await workbench.paths.grants.grant(dir.path, 'folder');
  await workbench.paths.grants.grant(join(repoRoot, 'tests', 'fixtures'), 'folder');
  return {
    workbench,
    dir: dir.path,
    dispose: async () => {
      await workbench.close();
      await dir.remove();
    },
  };
}
