import { resolve } from 'node:path';
import { SinkStartOptions, type SinkStatus } from '../../contract/sink';
import { redactUrl } from '../../sinks/postgres/target';
import { APP_VERSION } from '../../version';
import { defaultConfigDir, dispatch, Workbench } from '../../workbench';
import { resourcesDir } from '../app-root';
import { EXIT_USAGE, type Command } from '../command';

const STATUS_EVERY_MS = 5000;

export const sinkCommand: Command = {
  name: 'sink',
  summary: 'Mirror Gold (and Silver) into PostgreSQL after every refresh: exact, resumable, keyed by grain.',
  synopsis:
    'postgres --lake DIR --url postgres://USER@HOST:PORT/DB [--schema S] [--silver] [--once | --rebuild | --test] [--password-env VAR] [--sslmode M] [--poll-ms N] [--config DIR]',
  options: {
    lake: { type: 'string' },
    url: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    database: { type: 'string' },
    user: { type: 'string' },
    sslmode: { type: 'string' },
    schema: { type: 'string' },
    'password-env': { type: 'string' },
    silver: { type: 'boolean' },
    once: { type: 'boolean' },
    rebuild: { type: 'boolean' },
    test: { type: 'boolean' },
    'poll-ms': { type: 'string' },
    config: { type: 'string' },
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
    if (positionals[0] !== 'postgres' || positionals.length !== 1 || (!str('lake') && !values.test)) {
      io.err(`Usage: clickpulse sink ${sinkCommand.synopsis}`);
      return EXIT_USAGE;
    }
    const modes = ['once', 'rebuild', 'test'].filter((m) => values[m] === true);
    if (modes.length > 1) {
      io.err(`clickpulse sink: choose one of --${modes.join(', --')}.`);
      return EXIT_USAGE;
    }
    const port = str('port');
    const parsed = SinkStartOptions.safeParse({
      target: {
        ...(str('url') ? { url: str('url') } : {}),
        ...(str('host') ? { host: str('host') } : {}),
        ...(port ? { port: /^\d+$/.test(port) ? Number(port) : port } : {}),
        ...(str('database') ? { database: str('database') } : {}),
        ...(str('user') ? { user: str('user') } : {}),
        ...(str('sslmode') ? { sslmode: str('sslmode') } : {}),
        ...(str('schema') ? { schema: str('schema') } : {}),
        ...(str('password-env') ? { passwordEnv: str('password-env') } : {}),
      },
      silver: values.silver === true,
      ...(str('poll-ms') ? { pollMs: Number(str('poll-ms')) } : {}),
    });
    if (!parsed.success) {
      io.err(
        `clickpulse sink: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
      return EXIT_USAGE;
    }
    const lake = str('lake');
    const workbench = new Workbench({
      transport: 'cli',
      configDir: str('config') ?? defaultConfigDir(),
      ...(lake ? { lakeDir: resolve(lake) } : {}),
      resourcesDir: resourcesDir(),
      version: APP_VERSION,
    });
    const fail = (message: string) => {
      io.err(`clickpulse sink: ${redactUrl(message)}`);
      return 1;
    };
    try {
      if (values.test) {
        const r = await dispatch(workbench, 'sink.postgres.test', { target: parsed.data.target });
        if (!r.ok) return fail(r.error.message);
        const t = r.value as { ok: boolean; message: string; failure: string | null };
        if (!t.ok) return fail(`${t.failure}: ${t.message}`);
        io.out(t.message);
        return 0;
      }
      if (values.rebuild) {
        const r = await dispatch(workbench, 'sink.postgres.rebuild', parsed.data);
        if (!r.ok) return fail(r.error.message);
        for (const [table, rows] of Object.entries((r.value as { tables: Record<string, number> }).tables))
          io.out(`${parsed.data.target.schema}.${table}: ${rows} rows`);
        return 0;
      }
      if (values.once) {
        const r = await dispatch(workbench, 'sink.postgres.sync', parsed.data);
        if (!r.ok) return fail(r.error.message);
        const status = r.value as SinkStatus;
        for (const t of status.tables)
          io.out(`${status.schema}.${t.table}: ${t.rows} rows${t.error ? ` (${t.error})` : ''}`);
        return 0;
      }
      let last = 0;
      let lastState = '';
      workbench.subscribe((name, payload) => {
        if (name !== 'sink.status') return;
        const s = payload as SinkStatus;
        if (Date.now() - last < STATUS_EVERY_MS && s.state === lastState) return;
        last = Date.now();
        lastState = s.state;
        io.err(statusLine(s));
      });
      const started = await dispatch(workbench, 'sink.postgres.start', parsed.data);
      if (!started.ok) return fail(started.error.message);
      const s = started.value as SinkStatus;
      io.out(`Mirroring ${workbench.options.lakeDir} into ${s.target} schema ${s.schema}. Ctrl-C stops it.`);
      await io.stopSignal;
      const stopped = await workbench.call('sink.postgres.stop', {});
      io.out(statusLine(stopped));
      return 0;
    } finally {
      await workbench.close();
    }
  },
};

export function statusLine(s: SinkStatus): string {
  const rows = s.tables.reduce((n, t) => n + t.rows, 0);
  const secs = (v: number | null) => (v === null ? '-' : `${v.toFixed(1)} s`);
  const retry = s.state === 'retrying' || s.state === 'failed' ? `; retrying at ${s.retryAt}` : '';
  return `${s.state}: ${s.tables.length} tables, ${rows} rows, lag ${secs(s.lagSeconds)}, latency p50/p95 ${secs(s.latencyP50)}/${secs(s.latencyP95)}${s.lastError ? `; error: ${s.lastError}` : ''}${retry}`;
}
