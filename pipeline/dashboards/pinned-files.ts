import { access, link, mkdir, readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { lakePaths } from '../lake/layout';
import { silverEventFiles } from '../lake/files';
import { parquetFiles } from '../query/catalog';

/**
 * The Gold tables the dashboards read, by the view name their SQL uses (see panels.ts), in the order they
 * are pinned. product_performance leaves out events without a product, so no total of it equals the other
 * tables' and the agreement check (GOLD_AGREEMENT_SQL) cannot compare it. Gold writes hourly_heatmap after
 * it and user_activity before it (refreshWholeLake), so pinning the heatmap first and the users right after
 * the products brackets it: a refresh that lands while pinning leaves the heatmap older or the users newer
 * than the rest, which the check sees.
 */
export const DASHBOARD_GOLD = {
  g_heatmap: 'hourly_heatmap',
  g_products: 'product_performance',
  g_users: 'user_activity',
  g_funnel: 'funnel_daily',
  g_category: 'category_daily',
  g_brand: 'brand_daily',
  g_traffic: 'traffic_minute',
  g_sessions: 'session_stats',
} as const;
export type GoldView = keyof typeof DASHBOARD_GOLD;

export interface PinnedFiles {
  /** Per view, the Gold files as they were when pinned (hard links, so a rewrite of Gold cannot change them). */
  gold: Record<GoldView, string[]>;
  /** When the newest pinned Gold file was written. */
  goldWrittenAt: Date;
  /**
   * The pinned Gold files' inodes: equal for two pins of the same files, since Gold replaces a file by
   * renaming a new one over it, and a pin's links keep the old inode from being reused.
   */
  goldIdentity: string;
  /** Silver's files when pinned: streaming only adds files, so the list is a snapshot. */
  silver: string[];
  release(): Promise<void>;
  /** False once the links are gone (released, or removed as stale by another process). */
  stillThere(): Promise<boolean>;
  /** Marks the links as in use, so no refresh removes them as stale. */
  touch(): Promise<void>;
}

const STALE_MS = 10 * 60_000;
let sequence = 0;

/**
 * Pins the files one dashboard refresh reads. Gold rewrites a table by renaming a new file over the old; a
 * hard link keeps the file that was there, so every query of the refresh reads the same bytes. Links live in
 * <lake>/_state/dashboards/ (same file system, so linking is possible) and are removed after the refresh.
 * Null when a Gold table the dashboards need does not exist yet.
 */
export async function pinFiles(lake: string): Promise<PinnedFiles | null> {
  const paths = lakePaths(lake);
  const root = join(paths.state, 'dashboards');
  await removeStale(root);
  const dir = join(root, `snap-${process.pid}-${Date.now()}-${sequence++}`);
  await mkdir(dir, { recursive: true });
  const release = () => rm(dir, { recursive: true, force: true });
  try {
    const gold = {} as Record<GoldView, string[]>;
    let written = 0;
    const identity: string[] = [];
    for (const [view, table] of Object.entries(DASHBOARD_GOLD) as [GoldView, string][]) {
      const files = await parquetFiles(paths.goldTable(table));
      if (files.length === 0) {
        await release();
        return null;
      }
      gold[view] = [];
      for (const [i, file] of files.entries()) {
        const pinned = join(dir, `${table}-${i}.parquet`);
        // The file may be renamed over between listing and linking: list again (it exists under its name).
        await link(file, pinned).catch(async (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
          await link(file, pinned);
        });
        const info = await stat(pinned);
        written = Math.max(written, info.mtimeMs);
        identity.push(`${info.dev}:${info.ino}`);
        gold[view].push(pinned);
      }
    }
    // Current files only: while a compaction swaps a merged file in, its inputs are left out (lake/files.ts).
    const silver = await silverEventFiles(paths.silverEvents);
    const stillThere = () =>
      access(dir).then(
        () => true,
        () => false,
      );
    const touch = async () => {
      const now = new Date();
      await utimes(dir, now, now);
    };
    return {
      gold,
      goldWrittenAt: new Date(written),
      goldIdentity: identity.join(' '),
      silver,
      release,
      stillThere,
      touch,
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/** Links left by a process that died mid-refresh. */
async function removeStale(root: string): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]);
  const now = Date.now();
  for (const name of names) {
    const info = await stat(join(root, name)).catch(() => undefined);
    if (info && now - info.mtimeMs > STALE_MS) await rm(join(root, name), { recursive: true, force: true });
  }
}
