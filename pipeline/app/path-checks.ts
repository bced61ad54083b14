import { dirname } from 'node:path';
import type { CallName, ParsedRequest } from '../contract';
import type { PathPolicy } from './path-policy';

/**
 * The path-taking calls and what each path is for: checked before the handler runs, in one place, so no
 * domain can forget it. Calls not listed take no path.
 */
export async function checkPaths<K extends CallName>(
  policy: PathPolicy,
  name: K,
  request: ParsedRequest<K>,
): Promise<void> {
  const r = request as Record<string, unknown>;
  const text = (key: string) => (typeof r[key] === 'string' ? (r[key] as string) : undefined);
  switch (name) {
    case 'files.list':
      return policy.readable(text('path'), 'listing a folder');
    case 'replay.inspect':
    case 'replay.start':
    case 'replay.resumePoint':
      return policy.readable(text('path') ?? '', 'a dataset');
    case 'settings.update': {
      const lake = text('lakeDir');
      return lake === undefined ? undefined : policy.lake(lake);
    }
    case 'query.openFolder':
      return policy.openFolder(text('path') ?? '');
    case 'query.save':
      return policy.saveTarget(
        text('path') ?? '',
        r.format === 'parquet' ? 'parquet' : 'csv',
        r.overwrite === true,
      );
    case 'export.run': {
      for (const result of (r.results as string[] | undefined) ?? [])
        await policy.readable(result, 'a saved result');
      return policy.outputFolder(text('outDir') ?? '', 'an export folder');
    }
    case 'dataset.download': {
      const outDir = text('outDir');
      return outDir === undefined ? undefined : policy.outputFolder(outDir, 'a download folder');
    }
    default:
      return undefined;
  }
}

/** After a successful export or save, its folder is one the user writes to (see PathPolicy.granted). */
export async function grantPaths<K extends CallName>(
  policy: PathPolicy,
  name: K,
  request: ParsedRequest<K>,
): Promise<void> {
  const r = request as Record<string, unknown>;
  if (name === 'export.run' && typeof r.outDir === 'string') await policy.granted(r.outDir);
  if (name === 'query.save' && typeof r.path === 'string') await policy.granted(dirname(r.path));
}
