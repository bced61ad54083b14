import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../pipeline/workbench';
import { testWorkbench } from '../helpers/workbench';

describe('dispatch (the check every transport shares)', () => {
  let ctx: Awaited<ReturnType<typeof testWorkbench>>;
  beforeEach(async () => (ctx = await testWorkbench()));
  afterEach(() => ctx.dispose());

  it('answers a valid call', async () => {
    const answer = await dispatch(ctx.workbench, 'app.info', {});
    expect(answer.ok).toBe(true);
    if (answer.ok) expect(answer.value).toMatchObject({ name: 'ClickPulse Workbench', transport: 'web' });
  });

  it('rejects a malformed payload with a validation error naming the field', async () => {
    const answer = await dispatch(ctx.workbench, 'settings.update', { brokerPort: 'abc' });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('VALIDATION');
    expect(answer.error.message).toMatch(/^Invalid request for settings\.update: brokerPort: /);
    expect(answer.error.issues?.[0]?.path).toBe('brokerPort');
  });

  it('rejects fields the contract does not know', async () => {
    const answer = await dispatch(ctx.workbench, 'settings.update', { lakeDirr: '/x' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!answer.ok) expect(answer.error.message).toContain('lakeDirr');
  });

  it('lets a page name only PGPASSWORD or a CLICKPULSE_ variable as the sink password, so no other secret leaves', async () => {
    process.env.CLICKPULSE_DISPATCH_SECRET = 'not-for-a-page';
    try {
      // Port 9 on loopback: nothing listens, so an allowed variable gets as far as the connection.
      const target = (passwordEnv: string) => ({
        target: { url: 'postgres://u@127.0.0.1:9/db', passwordEnv },
      });
      for (const name of ['AWS_SECRET_ACCESS_KEY', 'HOME', 'PGPASSFILE', 'clickpulse_x']) {
        for (const call of ['sink.postgres.test', 'sink.postgres.start', 'sink.postgres.sync']) {
          const answer = await dispatch(ctx.workbench, call, target(name));
          expect(answer, `${call} ${name}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
          if (!answer.ok)
            expect(answer.error.message).toContain(`not ${name}, which may hold another secret`);
        }
      }
      const allowed = await dispatch(
        ctx.workbench,
        'sink.postgres.test',
        target('CLICKPULSE_DISPATCH_SECRET'),
      );
      expect(allowed.ok && allowed.value).toMatchObject({ ok: false, failure: 'HOST_UNREACHABLE' });
    } finally {
      delete process.env.CLICKPULSE_DISPATCH_SECRET;
    }
  });

  it('rejects unknown calls, including prototype names', async () => {
    for (const name of ['nope', 'toString', '__proto__', 42, null]) {
      const answer = await dispatch(ctx.workbench, name, {});
      expect(answer).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    }
  });

  it('keeps accepted settings when a later update is invalid', async () => {
    await dispatch(ctx.workbench, 'settings.update', { brokerPort: 19092 });
    await dispatch(ctx.workbench, 'settings.update', { brokerPort: 70000 });
    const answer = await dispatch(ctx.workbench, 'settings.get', {});
    expect(answer).toEqual({ ok: true, value: { brokerPort: 19092 } });
  });
});
