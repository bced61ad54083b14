import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SinkService } from '../../pipeline/sinks/postgres/service';
import { redactUrl, resolveTarget, withoutPassword } from '../../pipeline/sinks/postgres/target';

describe('PostgreSQL target resolution', () => {
  it('reads host, port, user, database and sslmode from the URL; fields win over it', async () => {
    const t = await resolveTarget(
      { url: 'postgres://ana@db.example.com:6543/analytics?sslmode=require', database: 'other' },
      { env: {} },
    );
    expect(t).toMatchObject({
      host: 'db.example.com',
      port: 6543,
      user: 'ana',
      database: 'other',
      sslmode: 'require',
      schema: 'clickpulse',
    });
    expect(t.password).toBeUndefined();
  });

  it('takes the password from the URL, else the keychain, else the named variable, else PGPASSWORD', async () => {
    const url = 'postgres://ana@h/db';
    expect(
      await resolveTarget({ url: 'postgres://ana:s%40cret@h/db' }, { env: { PGPASSWORD: 'env' } }),
    ).toMatchObject({
      password: 's@cret',
      passwordSource: 'the URL',
    });
    expect(await resolveTarget({ url }, { env: { PGPASSWORD: 'env' }, lookup: () => 'kc' })).toMatchObject({
      password: 'kc',
      passwordSource: 'the keychain',
    });
    expect(
      await resolveTarget({ url, passwordEnv: 'MY_PW' }, { env: { MY_PW: 'mine', PGPASSWORD: 'env' } }),
    ).toMatchObject({
      password: 'mine',
      passwordSource: 'MY_PW',
    });
    expect(await resolveTarget({ url }, { env: { PGPASSWORD: 'env' } })).toMatchObject({
      password: 'env',
      passwordSource: 'PGPASSWORD',
    });
  });

  it('rejects a URL of another scheme and a bad sslmode, by name', async () => {
    await expect(resolveTarget({ url: 'mysql://a@b/c' }, { env: {} })).rejects.toThrow(
      'A PostgreSQL URL starts with postgres://',
    );
    await expect(resolveTarget({ url: 'postgres://a@b/c?sslmode=always' }, { env: {} })).rejects.toThrow(
      'sslmode must be one of disable, prefer, require, verify-ca, verify-full',
    );
  });

  it('never lets a password out: redacted in messages, stripped from saved settings', async () => {
    expect(redactUrl('postgres://ana:hunter2@h:5432/db')).toBe('postgres://ana:***@h:5432/db');
    expect(withoutPassword({ url: 'postgres://ana:hunter2@h:5432/db' }).url).toBe('postgres://ana@h:5432/db');
    const configDir = await mkdtemp(join(tmpdir(), 'clickpulse-sink-config-'));
    try {
      const service = new SinkService({
        lakeDir: async () => join(configDir, 'lake'),
        configDir,
        emit: () => undefined,
      });
      // Starting needs no database: the sink connects in the background (and retries); the config is saved first.
      await service.start({
        target: { url: 'postgres://ana:hunter2@127.0.0.1:1/db', schema: 'clickpulse' },
        silver: false,
        pollMs: 500,
      });
      await service.stop();
      const saved = await readFile(join(configDir, 'sinks', 'postgres.json'), 'utf8');
      expect(saved).toContain('postgres://ana@127.0.0.1:1/db');
      expect(saved).not.toContain('hunter2');
      await expect(
        service.savePassword({ url: 'postgres://ana@h/db', schema: 'clickpulse' }, 'x'),
      ).rejects.toThrow('No keychain here (CLI or browser mode)');
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  });
});
