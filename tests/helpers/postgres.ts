import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const TEST_PG_PASSWORD = 'sink-test-pw';

/** A throwaway PostgreSQL cluster on a free loopback port; stop() ends it and deletes its folder. */
export interface TestPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The server's log (pg_ctl -l). */
  logFile: string;
  /** Folder of the server's binaries (psql, pg_ctl). */
  bin: string;
  /** URL of a database in the cluster, without the password (it goes through an environment variable). */
  url(database?: string): string;
  /** Runs SQL as the superuser through psql and returns its unaligned output. */
  psql(sql: string, database?: string): Promise<string>;
  /** Stops the server (fast shutdown) but keeps the data; start() brings it back on the same port. */
  pause(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  throw new Error(
    'PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** As root the server must run as the `postgres` user; otherwise as ourselves. */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

/**
 * Starts a fresh cluster (initdb, password auth for TCP, a `sink` superuser with a password, database
 * `clickpulse_test`). Register stop() in afterAll right after awaiting this; if start-up fails half-way the
 * cluster is stopped and removed before the error is thrown. `tlsOnly`: TCP clients must use TLS (a
 * self-signed certificate made with openssl), as many hosted databases require.
 */
export async function startTestPostgres(options: { tlsOnly?: boolean } = {}): Promise<TestPostgres> {
  const bin = binDir();
  const dir = await mkdtemp(join(tmpdir(), 'clickpulse-pg-'));
  const data = join(dir, 'data');
  const root = process.getuid?.() === 0;
  if (root) {
    const ids = await run('id', ['-u', 'postgres']);
    const gids = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
  }
  const port = await freePort();
  const user = 'sink';
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${TEST_PG_PASSWORD}\n`, { mode: 0o644 });
  const exec = async (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const [c, a] = asServerUser(join(bin, cmd), args);
    return run(c, a, { env: { ...process.env, ...env }, cwd: dir });
  };
  let running = false;
  const pgCtl = async (action: 'start' | 'stop') => {
    if (action === 'start') {
      await exec('pg_ctl', [
        '-D',
        data,
        '-l',
        join(dir, 'server.log'),
        '-w',
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        'start',
      ]);
      running = true;
    } else if (running) {
      await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    }
  };
  const pg: TestPostgres = {
    host: '127.0.0.1',
    port,
    user,
    password: TEST_PG_PASSWORD,
    bin,
    logFile: join(dir, 'server.log'),
    url: (database = 'clickpulse_test') => `postgres://${user}@127.0.0.1:${port}/${database}`,
    psql: async (sql, database = 'clickpulse_test') => {
      const { stdout } = await run(
        join(bin, 'psql'),
        [
          '-X',
          '-A',
          '-t',
          '-v',
          'ON_ERROR_STOP=1',
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          user,
          '-d',
          database,
          '-c',
          sql,
        ],
        { env: { ...process.env, PGPASSWORD: TEST_PG_PASSWORD } },
      );
      return stdout.trim();
    },
    pause: () => pgCtl('stop'),
    start: () => pgCtl('start'),
    stop: async () => {
      try {
        await pgCtl('stop');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    await exec('initdb', [
      '-D',
      data,
      '-U',
      user,
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    if (options.tlsOnly) {
      const [c, a] = asServerUser('/usr/bin/openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(data, 'server.key'),
        '-out',
        join(data, 'server.crt'),
      ]);
      await run(c, a, { cwd: dir });
      appendFileSync(join(data, 'postgresql.conf'), '\nssl = on\n');
      writeFileSync(
        join(data, 'pg_hba.conf'),
        'local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n',
      );
    }
    await pgCtl('start');
    await pg.psql('CREATE DATABASE clickpulse_test', 'postgres');
    return pg;
  } catch (error) {
    await pg.stop().catch(() => undefined);
    throw error;
  }
}
