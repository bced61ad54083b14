import { dirname } from 'node:path';
import type { CallName, ParsedRequest } from '../contract';
import type { PathPolicy } from './path-policy';

/** The certificate, key, CA and users files a call hands to the broker or a Kafka client, with what each is. */
function keyFiles(name: CallName, r: Record<string, unknown>): { path: string; what: string }[] {
  const field = (o: unknown, key: string) => {
    const v = (o as Record<string, unknown> | undefined)?.[key];
    return typeof v === 'string' ? v : undefined;
  };
  const files: { path: string | undefined; what: string }[] = [];
  if (name === 'broker.start') {
    files.push(
      { path: field(r.security, 'tlsCertFile'), what: "the broker's TLS certificate" },
      { path: field(r.security, 'tlsKeyFile'), what: "the broker's TLS key" },
      { path: field(r.security, 'saslUsersFile'), what: "the broker's SASL users file" },
    );
  }
  if (name === 'replay.start' || name === 'stream.start') {
    files.push({ path: field(r.brokers, 'tlsCa'), what: "the cluster's TLS CA file" });
  }
  return files.filter((f): f is { path: string; what: string } => f.path !== undefined);
}

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
  for (const file of keyFiles(name, r)) await policy.keyMaterial(file.path, file.what);
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

/**
 * For calls from a page (Electron IPC, the browser bridge): every path it reads or writes must be in the
 * app's own folders or chosen by the user this session (PathPolicy.chosen). files.list is the picker's own
 * browsing, so it is not asked; it obeys checkPaths' rules.
 */
export async function checkChosen<K extends CallName>(
  policy: PathPolicy,
  name: K,
  request: ParsedRequest<K>,
): Promise<void> {
  const r = request as Record<string, unknown>;
  const text = (key: string) => (typeof r[key] === 'string' ? (r[key] as string) : undefined);
  for (const file of keyFiles(name, r)) await policy.chosen(file.path, file.what);
  switch (name) {
    case 'replay.inspect':
    case 'replay.start':
      return policy.chosen(text('path') ?? '', 'read as a dataset');
    case 'settings.update': {
      const lake = text('lakeDir');
      return lake === undefined ? undefined : policy.chosen(lake, 'the lake');
    }
    case 'query.openFolder':
      return policy.chosen(text('path') ?? '', 'opened as files');
    case 'query.save':
      return policy.chosen(text('path') ?? '', 'written');
    case 'export.run': {
      for (const result of (r.results as string[] | undefined) ?? []) await policy.chosen(result, 'exported');
      return policy.chosen(text('outDir') ?? '', 'an export folder');
    }
    case 'dataset.download': {
      const outDir = text('outDir');
      return outDir === undefined ? undefined : policy.chosen(outDir, 'a download folder');
    }
    default:
      return undefined;
  }
}

/** After a successful export or save, its folder is one the user writes to (see PathPolicy.wroteInto). */
export async function noteWrites<K extends CallName>(
  policy: PathPolicy,
  name: K,
  request: ParsedRequest<K>,
): Promise<void> {
  const r = request as Record<string, unknown>;
  if (name === 'export.run' && typeof r.outDir === 'string') await policy.wroteInto(r.outDir);
  if (name === 'query.save' && typeof r.path === 'string') await policy.wroteInto(dirname(r.path));
}
