import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SinkStatus } from '../../../pipeline/contract';
import { SinkLagLine } from '../../../renderer/src/screens/monitor/SinkLag';

const status = (patch: Partial<SinkStatus>): SinkStatus => ({
  state: 'syncing',
  target: '127.0.0.1:5432/analytics',
  schema: 'clickpulse',
  silver: false,
  startedAt: '2026-01-01T00:00:00.000Z',
  lastSyncAt: null,
  lagSeconds: 2.345,
  latencyP50: null,
  latencyP95: null,
  rowsCopied: 0,
  tables: [],
  lastError: null,
  retryAt: null,
  ...patch,
});

const text = (s: SinkStatus | undefined) =>
  renderToStaticMarkup(<SinkLagLine status={s} />).replace(/<[^>]+>/g, '');

describe('the Monitor’s PostgreSQL sink line', () => {
  it('says the state and the lag behind Gold, with the last error', () => {
    expect(text(status({}))).toBe('PostgreSQL sink (clickpulse): syncing, lag behind Gold 2.3 s');
    expect(text(status({ state: 'retrying', lagSeconds: null, lastError: 'connection refused' }))).toBe(
      'PostgreSQL sink (clickpulse): retrying, lag behind Gold – — connection refused',
    );
  });

  it('is absent while no sink runs', () => {
    expect(text(undefined)).toBe('');
    expect(text(status({ state: 'stopped' }))).toBe('');
  });
});
