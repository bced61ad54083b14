import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeWire, encodeWire } from '../../pipeline/contract';
import { startChild, type TestChild } from '../helpers/children';
import { builtCli } from '../helpers/cli';
import { repoRoot } from '../helpers/repo-root';
import { tempDir } from '../helpers/temp';
import { makeTestCerts, type TestCerts } from '../helpers/tls-certs';

/**
 * The path rules as a page holding the token meets them: the built "clickpulse web" runs with a fake HOME
 * holding a private key, cloud credentials, a Docker login and a .bashrc, and a WebSocket client calls it.
 */
let home: string;
let remove: () => Promise<void>;
let child: TestChild | undefined;
let ws: WebSocket;
let nextId = 1;
let certs: TestCerts;

type Answer =
  { ok: true; value: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

function call(name: string, payload: unknown = {}): Promise<Answer> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: Buffer, isBinary: boolean) => {
      const message = decodeWire(isBinary ? new Uint8Array(data) : data.toString()) as {
        id?: number;
      } & Answer;
      if (message.id !== id) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
    ws.send(encodeWire({ id, call: name, payload }));
  });
}

/** The call is refused with one sentence (no line breaks) that matches `why`. */
async function expectRefused(name: string, payload: unknown, why: RegExp, code = 'FORBIDDEN') {
  const answer = await call(name, payload);
  expect(answer, `${name} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code } });
  if (answer.ok) return;
  expect(answer.error.message).toMatch(why);
  expect(answer.error.message).not.toMatch(/\n/);
}

/** What the in-app picker does when the user opens a folder and clicks "Choose this folder". */
async function pickFolder(folder: string) {
  expect(await call('files.list', { path: folder, extensions: ['/'] })).toMatchObject({ ok: true });
  expect(await call('files.pick', { path: folder, mode: 'folder' })).toMatchObject({
    ok: true,
    value: { path: folder },
  });
}

beforeAll(async () => {
  if (!existsSync(builtCli))
    throw new Error('The CLI is not built: run "npm run build" first (npm test does).');
  const dir = await tempDir();
  remove = dir.remove;
  home = join(dir.path, 'home');
  await mkdir(join(home, '.ssh'), { recursive: true });
  await writeFile(join(home, '.ssh', 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n');
  await mkdir(join(home, '.aws'));
  await writeFile(join(home, '.aws', 'credentials'), '[default]\naws_secret_access_key = secret\n');
  await mkdir(join(home, '.docker'));
  await writeFile(join(home, '.docker', 'config.json'), '{"auths":{"x":{"auth":"c2VjcmV0"}}}');
  await mkdir(join(home, '.config', 'gcloud'), { recursive: true });
  await writeFile(join(home, '.config', 'gcloud', 'credentials'), 'secret');
  await writeFile(join(home, '.bashrc'), 'original bashrc\n');
  await writeFile(join(home, 'notes.csv'), 'mine\n');
  await mkdir(join(home, 'docs'));
  await writeFile(join(home, 'docs', 'letter.txt'), 'not a lake');
  await mkdir(join(home, 'data'));
  await mkdir(join(home, 'ClickPulse'));
  await mkdir(join(home, 'Documents'));
  const sample = join(repoRoot, 'resources', 'rees46-2019-oct-head1000.csv');
  await copyFile(sample, join(home, 'Documents', 'plan.csv'));
  await copyFile(sample, join(home, 'Documents', 'budget.csv'));
  // The broker's TLS files, a users file that is not JSON (its first word a secret), a key-named file and a
  // dataset to replay over TLS, all in one folder the user can pick from.
  await mkdir(join(home, 'tls'));
  certs = await makeTestCerts(join(home, 'tls'));
  await writeFile(join(home, 'tls', 'users.json'), 's3cr3t-password is not JSON\n');
  await writeFile(join(home, 'tls', 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n');
  await copyFile(sample, join(home, 'tls', 'events.csv'));
  const duck = await DuckDBInstance.create(':memory:');
  const db = await duck.connect();
  for (const file of [join(home, 'one.parquet'), join(home, 'data', 'events.parquet')])
    await db.run(`COPY (SELECT 1 AS a) TO '${file}' (FORMAT parquet)`);
  db.closeSync();
  duck.closeSync();

  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.XDG_CONFIG_HOME;
  // Registered with the shared helper: ended after the file even when a hook fails or times out.
  child = startChild(process.execPath, [builtCli, 'web', '--port', '0'], { env });
  const url = await child.line();
  const { port, searchParams } = new URL(url);
  ws = await new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api?token=${searchParams.get('token')}`);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
});

afterAll(async () => {
  ws?.close();
  await child?.stop('SIGTERM', 10_000);
  await remove?.();
});

describe('path authority through the bridge (fake HOME)', () => {
  it('the picker lists the home folder without hidden entries and refuses dot-folders', async () => {
    const listing = await call('files.list', {});
    expect(listing.ok).toBe(true);
    if (listing.ok) expect(listing.value.path).toBe(home);
    await expectRefused('files.list', { path: join(home, '.ssh') }, /^Refused: .*\.ssh is hidden/);
    await expectRefused('files.list', { path: join(home, '.config', 'gcloud') }, /\.config is hidden/);
    await expectRefused('files.list', { path: '/proc/self' }, /system folder \/proc/);
  });

  it('never reads a credential file or a system file as a dataset', async () => {
    await expectRefused(
      'replay.inspect',
      { path: join(home, '.docker', 'config.json') },
      /\.docker is hidden/,
    );
    await expectRefused('replay.inspect', { path: join(home, '.aws', 'credentials') }, /\.aws is hidden/);
    await expectRefused('replay.inspect', { path: join(home, '.ssh', 'id_rsa') }, /\.ssh is hidden/);
    await expectRefused('replay.inspect', { path: '/etc/passwd' }, /system folder \/etc/);
    await expectRefused('replay.inspect', { path: '/proc/self/environ' }, /system folder \/proc/);
    await expectRefused('replay.start', { path: join(home, '.aws', 'credentials') }, /\.aws is hidden/);
  });

  it('never overwrites ~/.bashrc or a file outside the lake and the folders written to', async () => {
    const opened = await call('query.run', { sql: 'SELECT 1 AS a' });
    expect(opened.ok).toBe(true);
    const queryId = opened.ok ? opened.value.queryId : '';
    const save = (path: string, extra: object = {}) => ({
      queryId,
      path,
      format: 'csv',
      overwrite: true,
      ...extra,
    });
    await expectRefused(
      'query.save',
      save(join(home, '.bashrc')),
      /saved to a \.csv file, not \.bashrc/,
      'VALIDATION',
    );
    await expectRefused('query.save', save(join(home, '.bashrc.csv')), /\.bashrc\.csv is hidden/);
    await expectRefused(
      'query.save',
      save(join(home, 'notes.csv')),
      /notes\.csv already exists outside the lake/,
    );
    expect(await readFile(join(home, '.bashrc'), 'utf8')).toBe('original bashrc\n');
    expect(await readFile(join(home, 'notes.csv'), 'utf8')).toBe('mine\n');
    // A new file the picker returned is fine, and once saved there, that folder's files may be replaced.
    const fresh = join(home, 'r.csv');
    await expectRefused('query.save', save(fresh, { overwrite: false }), /r\.csv was not chosen/);
    expect(await call('files.list', { path: home })).toMatchObject({ ok: true });
    expect(await call('files.pick', { path: fresh, mode: 'save' })).toMatchObject({ ok: true });
    expect(await call('query.save', save(fresh, { overwrite: false }))).toMatchObject({ ok: true });
    expect(await call('query.save', save(fresh))).toMatchObject({ ok: true });
  });

  it('keeps the lake and opened folders away from /, the home folder and folders that are not a lake', async () => {
    await expectRefused('settings.update', { lakeDir: '/' }, /root folder/);
    await expectRefused('settings.update', { lakeDir: home }, /your home folder itself/);
    await expectRefused('settings.update', { lakeDir: join(home, '..') }, /holds your home folder/);
    await expectRefused('settings.update', { lakeDir: '/etc' }, /system folder \/etc/);
    await expectRefused('settings.update', { lakeDir: join(home, '.ssh') }, /\.ssh is hidden/);
    await expectRefused('settings.update', { lakeDir: join(home, 'docs') }, /not a ClickPulse lake/);
    await expectRefused('query.openFolder', { path: '/' }, /root folder/);
    await expectRefused('query.openFolder', { path: home }, /your home folder itself/);
    await expectRefused('query.openFolder', { path: join(home, '.aws') }, /\.aws is hidden/);
    await expectRefused(
      'export.run',
      { tables: ['x'], formats: ['csv'], outDir: join(home, '.ssh') },
      /\.ssh is hidden/,
    );
    await expectRefused(
      'export.run',
      { results: [join(home, '.aws', 'credentials')], formats: ['csv'], outDir: join(home, 'out') },
      /\.aws is hidden/,
    );
  });

  it('SQL cannot read /etc/passwd, /proc/self/environ or ~/.aws/credentials after any settings change', async () => {
    // The user picks a folder for the new lake and opens a folder, both through the in-app picker.
    await pickFolder(join(home, 'ClickPulse'));
    await pickFolder(join(home, 'data'));
    const newLake = join(home, 'ClickPulse', 'lake2');
    expect(await call('settings.update', { lakeDir: newLake })).toMatchObject({ ok: true });
    expect(await call('query.openFolder', { path: join(home, 'data') })).toMatchObject({ ok: true });
    for (const file of [
      '/etc/passwd',
      '/proc/self/environ',
      join(home, '.aws', 'credentials'),
      join(home, 'one.parquet'),
    ]) {
      const answer = await call('query.run', { sql: `SELECT * FROM read_text('${file}')` });
      expect(answer, file).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // What the user opened is readable; the app keeps serving.
    expect(await call('query.run', { sql: 'SELECT * FROM files.data' })).toMatchObject({
      ok: true,
      value: { totalRows: 1 },
    });
    expect(await call('app.info')).toMatchObject({ ok: true, value: { lakeDir: newLake } });
  });
});

describe('provenance: a page holding the token uses only paths the user picked this session', () => {
  const plan = () => join(home, 'Documents', 'plan.csv');
  const budget = () => join(home, 'Documents', 'budget.csv');

  it('cannot read, open, save over or export into a path it only names', async () => {
    await expectRefused(
      'replay.inspect',
      { path: plan() },
      new RegExp(
        `^Refused: ${plan()} was not chosen in the in-app file picker this session, so it cannot be read as a dataset; choose it there first\\.$`,
      ),
    );
    await expectRefused('replay.start', { path: plan() }, /plan\.csv was not chosen/);
    await expectRefused('query.openFolder', { path: join(home, 'Documents') }, /Documents was not chosen/);
    await expectRefused(
      'settings.update',
      { lakeDir: join(home, 'Documents', 'lake') },
      /cannot be the lake/,
    );
    await expectRefused(
      'export.run',
      { tables: ['x'], formats: ['csv'], outDir: join(home, 'Documents', 'out') },
      /cannot be an export folder/,
    );
    await expectRefused(
      'export.run',
      { results: [budget()], formats: ['csv'], outDir: join(home, 'ClickPulse', 'out') },
      /budget\.csv was not chosen .* so it cannot be exported/,
    );
    await expectRefused(
      'dataset.download',
      { month: '2019-Oct', outDir: join(home, 'Documents') },
      /cannot be a download folder/,
    );
    const opened = await call('query.run', { sql: 'SELECT 1 AS a' });
    const queryId = opened.ok ? opened.value.queryId : '';
    await expectRefused(
      'query.save',
      { queryId, path: join(home, 'Documents', 'new.csv'), format: 'csv' },
      /new\.csv was not chosen .* so it cannot be written/,
    );
    // The picker cannot return what it never showed, so naming a path to files.pick grants nothing.
    await expectRefused(
      'files.pick',
      { path: plan(), mode: 'file' },
      /plan\.csv is not in a folder the in-app file picker showed this session/,
    );
    await expectRefused('replay.inspect', { path: plan() }, /was not chosen/);
  });

  it('can, after the user picked it: the file alone, or a folder with everything in it', async () => {
    expect(await call('files.list', { path: join(home, 'Documents'), extensions: ['.csv'] })).toMatchObject({
      ok: true,
    });
    expect(await call('files.pick', { path: plan(), mode: 'file' })).toMatchObject({
      ok: true,
      value: { path: plan() },
    });
    expect(await call('replay.inspect', { path: plan() })).toMatchObject({ ok: true });
    await expectRefused('replay.inspect', { path: budget() }, /budget\.csv was not chosen/);
    await pickFolder(join(home, 'Documents'));
    expect(await call('replay.inspect', { path: budget() })).toMatchObject({ ok: true });
  });
});

describe('TLS and SASL files a page hands to the broker or a Kafka client', () => {
  const tls = (name: string) => join(home, 'tls', name);
  const external = (extra: object = {}) => ({ bootstrap: '127.0.0.1:9', ssl: true, ...extra });

  it('are refused when hidden, a system file, a credential or not picked, in one sentence', async () => {
    await expectRefused(
      'broker.start',
      { port: 0, security: { tlsCertFile: join(home, '.ssh', 'id_rsa'), tlsKeyFile: tls('broker.key') } },
      /^Refused: .*\.ssh is hidden .* for the broker's TLS certificate\.$/,
    );
    await expectRefused(
      'broker.start',
      { port: 0, security: { saslUsersFile: join(home, '.aws', 'credentials') } },
      /\.aws is hidden .* for the broker's SASL users file/,
    );
    await expectRefused(
      'broker.start',
      { port: 0, security: { saslUsersFile: '/etc/passwd' } },
      /system folder \/etc/,
    );
    await expectRefused(
      'broker.start',
      { port: 0, security: { tlsCertFile: tls('broker.pem'), tlsKeyFile: tls('id_rsa') } },
      /id_rsa looks like a key or credential file/,
    );
    await expectRefused(
      'broker.start',
      { port: 0, security: { tlsCertFile: tls('broker.pem'), tlsKeyFile: tls('broker.key') } },
      new RegExp(
        `^Refused: ${tls('broker.pem')} was not chosen in the in-app file picker this session, so it cannot be the broker's TLS certificate; choose it there first\\.$`,
      ),
    );
    await expectRefused(
      'stream.start',
      { brokers: external({ tlsCa: tls('ca.pem') }) },
      /ca\.pem was not chosen .* so it cannot be the cluster's TLS CA file/,
    );
    await expectRefused(
      'replay.start',
      { path: tls('events.csv'), brokers: external({ tlsCa: join(home, '.docker', 'config.json') }) },
      /\.docker is hidden .* for the cluster's TLS CA file/,
    );
    // The picker returns a PEM key only when asked for TLS material, and never an SSH key.
    expect(
      await call('files.list', { path: join(home, 'tls'), extensions: ['.pem', '.key', '.json'] }),
    ).toMatchObject({ ok: true });
    await expectRefused(
      'files.pick',
      { path: tls('broker.key'), mode: 'file' },
      /broker\.key looks like a key or credential file/,
    );
    await expectRefused(
      'files.pick',
      { path: tls('id_rsa'), mode: 'file', purpose: 'tls' },
      /id_rsa looks like a key or credential file/,
    );
    expect(await call('broker.status')).toMatchObject({ ok: true, value: { state: 'stopped' } });
  });

  it('are used once picked; a bad users file is reported without its contents', async () => {
    for (const name of ['broker.pem', 'broker.key', 'ca.pem', 'users.json', 'events.csv'])
      expect(await call('files.pick', { path: tls(name), mode: 'file', purpose: 'tls' })).toMatchObject({
        ok: true,
      });
    const bad = await call('broker.start', { port: 0, security: { saslUsersFile: tls('users.json') } });
    expect(bad).toMatchObject({ ok: false });
    if (!bad.ok) {
      expect(bad.error.message).toMatch(/users\.json is not JSON/);
      expect(bad.error.message).not.toMatch(/s3cr3t/);
    }
    // A key picked for TLS is still no dataset.
    await expectRefused('replay.inspect', { path: tls('broker.key') }, /looks like a key or credential file/);

    const started = await call('broker.start', {
      port: 0,
      security: { tlsCertFile: certs.cert, tlsKeyFile: certs.key },
    });
    expect(started, JSON.stringify(started)).toMatchObject({
      ok: true,
      value: { state: 'running', tls: true },
    });
    try {
      const bootstrap = String(started.ok ? started.value.bootstrap : '');
      const replay = await call('replay.start', {
        path: tls('events.csv'),
        topic: 'tls_ca_check',
        limit: 20,
        resume: false,
        brokers: { bootstrap, ssl: true, tlsCa: certs.ca },
      });
      expect(replay, JSON.stringify(replay)).toMatchObject({ ok: true });
      let status = await call('replay.status');
      while (status.ok && !['completed', 'failed', 'stopped'].includes(String(status.value?.state)))
        status = await new Promise<Answer>((r) => setTimeout(() => r(call('replay.status')), 100));
      expect(status).toMatchObject({ ok: true, value: { state: 'completed', rowsSent: 20 } });
    } finally {
      await call('broker.stop');
    }
  }, 60_000);
});
