import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { ApiError } from '../../contract/envelope';
import type { SinkStatus } from '../../contract/sink';
import { lakePaths } from '../../lake/layout';
import { applyPlan, prepareTable } from './apply';
import { classify, connect, ConnectionError, isConnectionLoss } from './connect';
import { SinkDuck } from './duck';
import { goldGrains, SILVER_TABLE } from './grains';
import { planFiles, planGold, snapshotGold } from './plan';
import { ensureStateTables, readStates, type TableState } from './schema';
import { rebuildAll } from './rebuild';
import { syncSilver } from './silver';
import { sourceFiles } from './source-files';
import { describeTarget, type ResolvedTarget } from './target';

export interface SinkOptions {
  lake: string;
  target: ResolvedTarget;
  silver: boolean;
  pollMs: number;
  onStatus?: (status: SinkStatus) => void;
}

export interface PassResult {
  /** Tables whose rows or mark changed in PostgreSQL during this pass. */
  applied: string[];
  rowsCopied: number;
}

const MAX_BACKOFF_MS = 30_000;

/** Where the sink keeps its snapshots for one target: the lake's _state, one folder per database and schema. */
export function sinkStateDir(lake: string, t: ResolvedTarget): string {
  const id = createHash('sha1')
    .update(`${t.host}:${t.port}/${t.database}/${t.schema}`)
    .digest('hex')
    .slice(0, 12);
  return join(lakePaths(lake).state, 'sinks', `postgres-${id}`);
}

/**
 * Mirrors the lake's Gold tables (and Silver if asked) into one PostgreSQL schema. It knows the lake only by
 * its files: each pass lists every Gold table's Parquet files, and a table whose files changed since the
 * fingerprint stored in PostgreSQL is snapshotted, diffed and applied in one transaction. When the database
 * goes away the sink retries with backoff; the lake never waits for it.
 */
export class PostgresSink {
  private client: pg.Client | null = null;
  private duck: SinkDuck | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly latencies: number[] = [];
  /** Refreshes older than the sink (files it finds on its first pass) are catch-up, not latency. */
  private readonly createdMs = Date.now();
  private readonly stateDir: string;
  private status: SinkStatus;

  constructor(private readonly options: SinkOptions) {
    this.stateDir = sinkStateDir(options.lake, options.target);
    this.status = {
      state: 'stopped',
      target: describeTarget(options.target),
      schema: options.target.schema,
      silver: options.silver,
      startedAt: null,
      lastSyncAt: null,
      lagSeconds: null,
      latencyP50: null,
      latencyP95: null,
      rowsCopied: 0,
      tables: [],
      lastError: null,
      retryAt: null,
    };
  }

  current(): SinkStatus {
    return structuredClone(this.status);
  }

  /** Runs until stop(): a pass every pollMs, backing off (up to 30 s) while passes fail. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.update({ state: 'starting', startedAt: new Date().toISOString(), lastError: null });
    this.loop = this.run();
  }

  async stop(): Promise<SinkStatus> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
    await this.close();
    this.update({ state: 'stopped', retryAt: null });
    return this.current();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let delay = this.options.pollMs;
      try {
        await this.pass();
        failures = 0;
      } catch (error) {
        failures++;
        delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (failures - 1));
        await this.close();
        const lost = isConnectionLoss(error);
        const text = error instanceof Error ? error.message : String(error);
        const message =
          lost && !(error instanceof ConnectionError)
            ? `Lost the connection to PostgreSQL at ${describeTarget(this.options.target)} (${text}); retrying.`
            : text;
        this.update({
          state: lost ? 'retrying' : 'failed',
          lastError: message,
          retryAt: new Date(Date.now() + delay).toISOString(),
        });
        await this.refreshLag().catch(() => undefined);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** One pass over every table; throws (after rolling back the table in hand) on any failure. */
  async pass(): Promise<PassResult> {
    const client = await this.connection();
    const duck = (this.duck ??= await SinkDuck.open());
    const schema = this.options.target.schema;
    const paths = lakePaths(this.options.lake);
    const result: PassResult = { applied: [], rowsCopied: 0 };
    let states = await readStates(client, schema);
    const tableErrors = new Map<string, string>();
    const behind = new Set<string>();
    for (const table of await this.goldTableNames()) {
      if (this.stopping) break;
      const grain = goldGrains[table];
      const dir = paths.goldTable(table);
      const source = await sourceFiles(dir);
      if (!source) continue;
      if (!grain) {
        tableErrors.set(table, `gold.${table} has no known grain (primary key) and is not mirrored.`);
        continue;
      }
      const state = states.get(table);
      if (state?.fingerprint === source.fingerprint) continue;
      this.update({ state: 'syncing' });
      const snap = await snapshotGold(duck, dir, this.stateDir, table, source);
      if (!snap) {
        behind.add(table);
        continue;
      }
      const missing = grain.key.filter((k) => !snap.columns.some((c) => c.name === k));
      if (missing.length) {
        tableErrors.set(table, `gold.${table} lacks its key column(s) ${missing.join(', ')}; not mirrored.`);
        continue;
      }
      const expected = await prepareTable(
        client,
        schema,
        { table, columns: snap.columns, key: grain.key },
        'gold',
      );
      const planned = await planGold(duck, this.stateDir, grain, snap, expected);
      try {
        result.rowsCopied += await applyPlan(client, schema, planned, grain.key, expected);
      } finally {
        await Promise.all(planFiles(planned.plan).map((f) => rm(f, { force: true })));
      }
      result.applied.push(table);
      if (source.modifiedMs >= this.createdMs) this.latencies.push(Date.now() - source.modifiedMs);
      await this.keepOnly(table, source.fingerprint);
    }
    if (this.options.silver && !this.stopping) {
      await ensureStateTables(client, schema);
      const silver = await syncSilver(
        client,
        duck,
        paths.silverEvents,
        schema,
        this.stateDir,
        () => this.stopping,
      );
      if (silver?.changedDays) {
        result.applied.push(SILVER_TABLE);
        result.rowsCopied += silver.rowsCopied;
        if (silver.modifiedMs && silver.modifiedMs >= this.createdMs)
          this.latencies.push(Date.now() - silver.modifiedMs);
      }
      if (silver?.behind) behind.add(SILVER_TABLE);
    }
    states = await readStates(client, schema);
    this.report(states, tableErrors, behind, result);
    return result;
  }

  /** Rebuild in PostgreSQL (see rebuild.ts) on this sink's connection, under its lock. */
  async rebuild(): Promise<Record<string, number>> {
    const client = await this.connection();
    const duck = (this.duck ??= await SinkDuck.open());
    const { lake, target, silver } = this.options;
    const tables = await rebuildAll(client, duck, lake, target.schema, this.stateDir, silver);
    for (const table of Object.keys(tables)) {
      const state = (await readStates(client, target.schema)).get(table);
      if (state?.fingerprint && state.fingerprint !== 'days') await this.keepOnly(table, state.fingerprint);
    }
    this.report(await readStates(client, target.schema), new Map(), new Set(), {
      applied: [],
      rowsCopied: 0,
    });
    return tables;
  }

  /** Closes the connection and DuckDB; the next pass opens them again. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
    this.duck?.close();
    this.duck = null;
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const { client } = await connect(this.options.target);
    try {
      const schema = this.options.target.schema;
      // One sink per schema: a second would interleave transactions on the same marks. A killed sink's
      // session (and its lock) ends when its socket closes; the wait covers the moment until then.
      await client.query("SET lock_timeout = '15s'");
      await client
        .query('SELECT pg_advisory_lock(hashtext($1))', [`clickpulse-sink:${schema}`])
        .catch((error: unknown) => {
          if ((error as { code?: string }).code === '55P03') {
            throw new ApiError({
              code: 'CONFLICT',
              message: `Another ClickPulse sink is writing to schema "${schema}" on ${describeTarget(this.options.target)}; stop it first.`,
            });
          }
          throw error;
        });
      await client.query('SET lock_timeout = 0');
      await ensureStateTables(client, schema);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error instanceof ApiError ? error : classify(error, this.options.target);
    }
    this.client = client;
    return client;
  }

  private async goldTableNames(): Promise<string[]> {
    const names = await readdir(lakePaths(this.options.lake).gold, { withFileTypes: true }).catch(() => []);
    return names
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
      .map((e) => e.name)
      .sort();
  }

  /** Keeps the snapshot the database now holds; older ones and abandoned temp files go. */
  private async keepOnly(table: string, fingerprint: string): Promise<void> {
    const dir = join(this.stateDir, table);
    for (const name of await readdir(dir).catch(() => [])) {
      if (name !== `${fingerprint}.parquet`) await rm(join(dir, name), { force: true });
    }
  }

  private report(
    states: Map<string, TableState>,
    errors: Map<string, string>,
    behind: Set<string>,
    pass: PassResult,
  ): void {
    const tables = [...states.values()]
      .sort((a, b) => a.table.localeCompare(b.table))
      .map((s) => ({
        table: s.table,
        rows: s.rows,
        lastSyncAt: s.appliedAt,
        behind: behind.has(s.table),
        error: errors.get(s.table) ?? null,
      }));
    for (const [table, error] of errors) {
      if (!states.has(table)) tables.push({ table, rows: 0, lastSyncAt: null, behind: false, error });
    }
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const pct = (p: number) =>
      sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) / 1000 : null;
    this.update({
      state: 'idle',
      lastSyncAt: new Date().toISOString(),
      lagSeconds: behind.size ? this.status.lagSeconds : 0,
      latencyP50: pct(0.5),
      latencyP95: pct(0.95),
      rowsCopied: this.status.rowsCopied + pass.rowsCopied,
      tables,
      lastError: null,
      retryAt: null,
    });
  }

  /** While the database is away: how far Gold has moved ahead of the last sync. */
  private async refreshLag(): Promise<void> {
    const since = this.status.lastSyncAt ? Date.parse(this.status.lastSyncAt) : null;
    let oldest: number | null = null;
    for (const table of await this.goldTableNames()) {
      const src = await sourceFiles(lakePaths(this.options.lake).goldTable(table));
      if (src && (since === null || src.modifiedMs > since))
        oldest = Math.min(oldest ?? Infinity, src.modifiedMs);
    }
    this.update({ lagSeconds: oldest === null ? 0 : (Date.now() - oldest) / 1000 });
  }

  private update(patch: Partial<SinkStatus>): void {
    this.status = { ...this.status, ...patch };
    this.options.onStatus?.(this.current());
  }
}
