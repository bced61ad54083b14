import { join } from 'node:path';
import { dispatch, Workbench } from '../../pipeline/workbench';
import { repoRoot } from './repo-root';

/**
 * A real lake: a Workbench with its embedded broker and lake stream, a generated dataset (or `path`) replayed
 * onto the topic and streamed through Bronze, Silver and Gold. The caller closes the Workbench (which stops
 * the broker and stream).
 */
export async function replayedLake(options: {
  lake: string;
  configDir: string;
  rows?: number;
  path?: string;
  seed?: number;
}): Promise<{ workbench: Workbench; source: string }> {
  const workbench = new Workbench({
    transport: 'web',
    configDir: options.configDir,
    lakeDir: options.lake,
    resourcesDir: join(repoRoot, 'resources'),
    version: '0.0.0-test',
  });
  try {
    const must = async (name: Parameters<typeof dispatch>[1], payload: unknown) => {
      const answer = await dispatch(workbench, name, payload);
      if (!answer.ok) throw new Error(`${String(name)}: ${answer.error.message}`);
      return answer.value;
    };
    let source = options.path;
    // A file the test names is one the user picked (calls go through dispatch, a page's entry).
    if (source) await workbench.paths.grants.grant(source, 'file');
    if (!source) {
      const generated = (await must('replay.generate', {
        rows: options.rows ?? 5000,
        seed: options.seed ?? 7,
      })) as {
        path: string;
      };
      source = generated.path;
    }
    await must('broker.start', { port: 0 });
    await must('stream.start', {});
    await must('replay.start', { path: source, resume: false });
    for (;;) {
      const p = await workbench.call('replay.status', {});
      if (p?.state === 'failed') throw new Error(`replay failed: ${JSON.stringify(p)}`);
      if (p && ['completed', 'stopped'].includes(p.state)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await workbench.stream.caughtUp();
    return { workbench, source };
  } catch (error) {
    await workbench.close();
    throw error;
  }
}
