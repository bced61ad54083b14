import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../../pipeline/sinks/postgres/connect';
import { resolveTarget } from '../../../pipeline/sinks/postgres/target';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres';

let tlsOnly: TestPostgres;
let plain: TestPostgres;
beforeAll(async () => {
  tlsOnly = await startTestPostgres({ tlsOnly: true });
  plain = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await tlsOnly?.stop();
  await plain?.stop();
});

const test = async (pg: TestPostgres, sslmode: string) =>
  testConnection(
    await resolveTarget({ url: `${pg.url()}?sslmode=${sslmode}` }, { env: { PGPASSWORD: pg.password } }),
  );

describe('Test connection and TLS', () => {
  it('a server that accepts only TLS, reached without it: TLS_REQUIRED', async () => {
    const r = await test(tlsOnly, 'disable');
    expect(r).toMatchObject({ ok: false, failure: 'TLS_REQUIRED' });
    expect(r.message).toContain('accepts only TLS connections');
  });

  it('the same server with sslmode=require and with the default (prefer): connected over TLS', async () => {
    expect(await test(tlsOnly, 'require')).toMatchObject({ ok: true, tls: true });
    expect(await test(tlsOnly, 'prefer')).toMatchObject({ ok: true, tls: true });
  });

  it('its self-signed certificate with sslmode=verify-full: TLS_CERTIFICATE', async () => {
    const r = await test(tlsOnly, 'verify-full');
    expect(r).toMatchObject({ ok: false, failure: 'TLS_CERTIFICATE' });
    expect(r.message).toMatch(/self[- ]signed/);
  });

  it('a server without TLS asked for it: TLS_UNAVAILABLE; with prefer it connects without', async () => {
    expect(await test(plain, 'require')).toMatchObject({ ok: false, failure: 'TLS_UNAVAILABLE' });
    expect(await test(plain, 'prefer')).toMatchObject({ ok: true, tls: false });
  });
});
