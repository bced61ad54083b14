import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkChosen, checkPaths } from '../../pipeline/app/path-checks';
import { PathPolicy, type PathPolicyOptions } from '../../pipeline/app/path-policy';
import { tempDir } from '../helpers/temp';

// Provenance of a page's paths: only what the native dialog or the in-app picker returned this session, or
// the app's own folders. Real files and symbolic links in a temp folder.

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  const made = await tempDir('clickpulse-grants-');
  dir = made.path;
  remove = made.remove;
  for (const sub of ['lake', 'config', 'data', 'data2', 'other']) await mkdir(join(dir, sub));
  await writeFile(join(dir, 'data', 'a.csv'), 'x\n');
  await writeFile(join(dir, 'data', 'b.csv'), 'x\n');
  await writeFile(join(dir, 'data2', 'c.csv'), 'x\n');
  await writeFile(join(dir, 'other', 'secret.csv'), 'x\n');
});
afterEach(() => remove());

const policy = (chooser: PathPolicyOptions['chooser']) =>
  new PathPolicy({
    strict: chooser === 'picker',
    chooser,
    lakeDir: () => Promise.resolve(join(dir, 'lake')),
    appDirs: () => [join(dir, 'config')],
  });

async function refusal(check: Promise<unknown>): Promise<string> {
  const error = (await check.then(
    () => new Error('not refused'),
    (e: unknown) => e,
  )) as { code?: string; message: string };
  expect(error.code, error.message).toBe('FORBIDDEN');
  expect(error.message).not.toMatch(/\n/);
  return error.message;
}

describe('PathPolicy.chosen: a page uses only what the user chose', () => {
  it('refuses a path the desktop page only names, in one sentence naming the file and the dialog', async () => {
    const paths = policy('dialog');
    const file = join(dir, 'data', 'a.csv');
    expect(await refusal(paths.chosen(file, 'read as a dataset'))).toBe(
      `Refused: ${file} was not chosen in a file dialog this session, so it cannot be read as a dataset; choose it there first.`,
    );
  });

  it('lets the CLI use any path (a local user typed it)', async () => {
    await expect(policy(null).chosen(join(dir, 'other', 'secret.csv'), 'read')).resolves.toBeUndefined();
  });

  it('a file grant covers that file only; a folder grant covers everything inside, not a look-alike sibling', async () => {
    const paths = policy('dialog');
    await paths.grants.grant(join(dir, 'data', 'a.csv'), 'file');
    await expect(paths.chosen(join(dir, 'data', 'a.csv'), 'read')).resolves.toBeUndefined();
    await refusal(paths.chosen(join(dir, 'data', 'b.csv'), 'read'));
    await refusal(paths.chosen(join(dir, 'data'), 'an export folder'));

    await paths.grants.grant(join(dir, 'data'), 'folder');
    await expect(paths.chosen(join(dir, 'data', 'b.csv'), 'read')).resolves.toBeUndefined();
    await expect(paths.chosen(join(dir, 'data', 'new', 'out.csv'), 'written')).resolves.toBeUndefined();
    await expect(paths.chosen(join(dir, 'data', 'sub', '..', 'b.csv'), 'read')).resolves.toBeUndefined();
    await refusal(paths.chosen(join(dir, 'data2', 'c.csv'), 'read'));
    await refusal(paths.chosen(join(dir, 'data', '..', 'other', 'secret.csv'), 'read'));
  });

  it('the lake and the app folders need no choice', async () => {
    const paths = policy('picker');
    await expect(paths.chosen(join(dir, 'lake', 'gold', 'x.parquet'), 'read')).resolves.toBeUndefined();
    await expect(paths.chosen(join(dir, 'config', 'generated', 'g.csv'), 'read')).resolves.toBeUndefined();
  });

  it('judges the link target: a link inside a granted folder cannot lead out of it', async () => {
    const paths = policy('dialog');
    await symlink(join(dir, 'other', 'secret.csv'), join(dir, 'data', 'link.csv'));
    await symlink(join(dir, 'data', 'a.csv'), join(dir, 'other', 'to-a.csv'));
    await paths.grants.grant(join(dir, 'data'), 'folder');
    await refusal(paths.chosen(join(dir, 'data', 'link.csv'), 'read'));
    await expect(paths.chosen(join(dir, 'other', 'to-a.csv'), 'read')).resolves.toBeUndefined();
  });

  it('a check waits for a grant still being recorded, so the call after a pick sees it', async () => {
    const paths = policy('dialog');
    void paths.grants.grant(join(dir, 'data', 'a.csv'), 'file');
    await expect(paths.chosen(join(dir, 'data', 'a.csv'), 'read')).resolves.toBeUndefined();
  });

  it('grants live in one Workbench session: a new policy starts empty', async () => {
    const first = policy('dialog');
    await first.grants.grant(join(dir, 'data'), 'folder');
    await refusal(policy('dialog').chosen(join(dir, 'data', 'a.csv'), 'read'));
  });
});

describe('PathPolicy.picked: what the in-app picker returns', () => {
  it('grants only in a folder the picker showed, and only what was picked', async () => {
    const paths = policy('picker');
    const file = join(dir, 'data', 'a.csv');
    expect(await refusal(paths.picked(file, 'file'))).toBe(
      `Refused: ${file} is not in a folder the in-app file picker showed this session.`,
    );
    await paths.grants.listedFolder(join(dir, 'data'));
    expect(await paths.picked(file, 'file')).toBe(file);
    await expect(paths.chosen(file, 'read')).resolves.toBeUndefined();
    await refusal(paths.chosen(join(dir, 'data', 'b.csv'), 'read'));
    // A folder is picked from its own listing ("Choose this folder"); a save target in a shown folder.
    await refusal(paths.picked(join(dir, 'data2'), 'folder'));
    await paths.picked(join(dir, 'data', 'result.csv'), 'save');
    await expect(paths.chosen(join(dir, 'data', 'result.csv'), 'written')).resolves.toBeUndefined();
    await paths.grants.listedFolder(join(dir, 'data2'));
    await paths.picked(join(dir, 'data2'), 'folder');
    await expect(paths.chosen(join(dir, 'data2', 'c.csv'), 'read')).resolves.toBeUndefined();
  });

  it('keeps the browser deny-list: hidden and system paths cannot be picked even when listed', async () => {
    const paths = policy('picker');
    await mkdir(join(dir, 'data', '.ssh'));
    await paths.grants.listedFolder(join(dir, 'data', '.ssh'));
    expect(await refusal(paths.picked(join(dir, 'data', '.ssh'), 'folder'))).toMatch(/\.ssh is hidden/);
    expect(await refusal(paths.picked('/etc/passwd', 'file'))).toMatch(/system folder \/etc/);
  });

  it('the desktop page cannot grant itself a path: only main’s native dialog does', async () => {
    const paths = policy('dialog');
    await paths.grants.listedFolder(join(dir, 'data'));
    expect(await refusal(paths.picked(join(dir, 'data', 'a.csv'), 'file'))).toBe(
      'Refused: in the desktop app only the native file dialog grants a path.',
    );
    await refusal(paths.chosen(join(dir, 'data', 'a.csv'), 'read'));
  });
});

describe('TLS and SASL files (broker.start security, a replay or stream tlsCa)', () => {
  const request = (cert: string) => ({
    port: 0,
    security: { host: '127.0.0.1', tlsCertFile: cert, tlsKeyFile: cert, saslUsersFile: cert },
  });

  it('the desktop page needs the dialog to have chosen them; the CLI and in-process calls use typed paths', async () => {
    const cert = join(dir, 'other', 'broker.pem');
    await writeFile(cert, 'pem');
    const desktop = policy('dialog');
    await checkPaths(desktop, 'broker.start', request(cert));
    expect(await refusal(checkChosen(desktop, 'broker.start', request(cert)))).toBe(
      `Refused: ${cert} was not chosen in a file dialog this session, so it cannot be the broker's TLS certificate; choose it there first.`,
    );
    const ca = {
      topic: 't',
      groupId: 'g',
      refine: true,
      brokers: { bootstrap: 'k:9093', ssl: true, tlsCa: cert },
    };
    expect(await refusal(checkChosen(desktop, 'stream.start', ca))).toMatch(/cluster's TLS CA file/);
    await desktop.grants.grant(cert, 'file');
    await expect(checkChosen(desktop, 'broker.start', request(cert))).resolves.toBeUndefined();
    await expect(checkChosen(desktop, 'stream.start', ca)).resolves.toBeUndefined();
    const cli = policy(null);
    await expect(checkPaths(cli, 'broker.start', request(cert))).resolves.toBeUndefined();
    await expect(checkChosen(cli, 'broker.start', request(cert))).resolves.toBeUndefined();
  });
});
