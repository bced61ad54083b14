import { describe, expect, it } from 'vitest';
import {
  buildReplayRequest,
  DEFAULT_RUN_FORM,
  streamRequestFor,
  toUtcIso,
  type RunForm,
} from '../../../renderer/src/screens/replay/run-options';

const dataset = { path: '/data/sample.csv', mapping: { event_time: 'event_time' } };
const build = (patch: Partial<RunForm>) => buildReplayRequest({ ...DEFAULT_RUN_FORM, ...patch }, dataset);

describe('run options → replay.start request', () => {
  it('maps the defaults to a max-speed replay onto the default topic of the embedded broker', () => {
    const { request, errors } = build({});
    expect(errors).toEqual({});
    expect(request).toEqual({
      path: '/data/sample.csv',
      mapping: { event_time: 'event_time' },
      speed: 'max',
      topic: 'clickpulse_events',
      partitions: 3,
      key: 'user_id',
      order: 'file',
      resume: true,
    });
  });

  it('maps a speed-up, a fixed rate, the window (as UTC), the limit and an external broker with SASL', () => {
    expect(build({ speed: '60' }).request?.speed).toBe(60);
    const { request, errors } = build({
      speed: 'rate',
      rate: '2,500',
      from: '2019-10-01T00:00',
      to: '2019-10-01T06:30',
      limit: '1000',
      topic: 'my.topic-1',
      partitions: '6',
      key: 'user_session',
      order: 'event_time',
      resume: false,
      broker: 'external',
      bootstrap: 'kafka1:9092, kafka2:9093',
      ssl: true,
      sasl: 'scram-sha-256',
      username: ' ana ',
      password: 'secret',
    });
    expect(errors).toEqual({});
    expect(request).toMatchObject({
      speed: 'max',
      rate: 2500,
      from: '2019-10-01T00:00:00Z',
      to: '2019-10-01T06:30:00Z',
      limit: 1000,
      topic: 'my.topic-1',
      partitions: 6,
      key: 'user_session',
      order: 'event_time',
      resume: false,
      brokers: {
        bootstrap: 'kafka1:9092, kafka2:9093',
        ssl: true,
        sasl: { mechanism: 'scram-sha-256', username: 'ana', password: 'secret' },
      },
    });
    if (!request) throw new Error('expected a request');
    expect(streamRequestFor(request)).toEqual({ topic: 'my.topic-1', brokers: request.brokers });
    const plain = build({}).request;
    if (!plain) throw new Error('expected a request');
    expect(streamRequestFor(plain)).toEqual({ topic: 'clickpulse_events' });
  });

  it("passes the cluster's TLS CA file (chosen or typed) to the replay and the stream, only with TLS on", () => {
    const external = { broker: 'external' as const, bootstrap: 'k:9093', tlsCa: ' /certs/ca.pem ' };
    const request = build({ ...external, ssl: true }).request;
    expect(request?.brokers).toEqual({ bootstrap: 'k:9093', ssl: true, tlsCa: '/certs/ca.pem' });
    if (!request) throw new Error('expected a request');
    expect(streamRequestFor(request).brokers?.tlsCa).toBe('/certs/ca.pem');
    expect(build({ ...external, ssl: false }).request?.brokers).toEqual({ bootstrap: 'k:9093', ssl: false });
  });

  it('explains each invalid field and gives no request', () => {
    const zero = build({ limit: '0' });
    expect(zero.request).toBeUndefined();
    expect(zero.errors.limit).toBe('Must be more than 0.');
    expect(build({ limit: 'ten' }).errors.limit).toBe('“ten” is not a number.');
    expect(build({ limit: '2.5' }).errors.limit).toBe('Must be a whole number.');
    expect(build({ topic: 'bad topic!' }).errors.topic).toBe('Use letters, digits, ".", "_" and "-" only.');
    expect(build({ topic: '' }).errors.topic).toBeDefined();
    expect(build({ partitions: '1001' }).errors.partitions).toBe('Must be at most 1000.');
    expect(build({ partitions: '0' }).errors.partitions).toBeDefined();
    expect(build({ partitions: '' }).errors.partitions).toMatch(/partitions/);
    expect(build({ speed: 'rate', rate: '' }).errors.rate).toBe('Enter events per second.');
    expect(build({ speed: 'rate', rate: '-5' }).errors.rate).toBeDefined();
    expect(build({ from: 'yesterday' }).errors.from).toBe(
      'Enter a UTC date and time like 2019-10-01 00:00:00.',
    );
    expect(build({ from: '2019-10-02T00:00', to: '2019-10-01T00:00' }).errors.to).toBe(
      'Must be after “from”.',
    );
    expect(build({ broker: 'external', bootstrap: '' }).errors.bootstrap).toBeDefined();
    expect(build({ broker: 'external', bootstrap: 'kafka1' }).errors.bootstrap).toBe(
      '“kafka1” is not host:port.',
    );
    expect(
      build({ broker: 'external', bootstrap: 'k:9092', sasl: 'plain', username: '' }).errors.username,
    ).toBeDefined();
  });

  it('keeps every other field valid when one is wrong (nothing typed is lost)', () => {
    const { errors } = build({ limit: '0', topic: 'fine' });
    expect(Object.keys(errors)).toEqual(['limit']);
  });

  it('reads datetime-local text as UTC and passes full ISO text through', () => {
    expect(toUtcIso('2019-10-01T00:17')).toBe('2019-10-01T00:17:00Z');
    expect(toUtcIso('2019-10-01 00:17:26')).toBe('2019-10-01T00:17:26Z');
    expect(toUtcIso('2019-10-01T00:17:26+02:00')).toBe('2019-10-01T00:17:26+02:00');
    expect(toUtcIso('  ')).toBeUndefined();
    // Typed the way the dataset writes it, or a bare day.
    expect(toUtcIso('2019-10-01 00:17:26 UTC')).toBe('2019-10-01T00:17:26Z');
    expect(toUtcIso('2019-10-01')).toBe('2019-10-01T00:00:00Z');
  });
});
