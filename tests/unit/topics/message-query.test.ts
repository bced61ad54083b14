import { describe, expect, it } from 'vitest';
import type { BrokerMessage } from '../../../pipeline/contract';
import { compileQuery } from '../../../pipeline/topics/message-query';
import { eventTimeOf } from '../../../pipeline/topics/time-seek';

const msg = (value: unknown, key: string | null = null): BrokerMessage => ({
  offset: 0,
  timestamp: '2026-01-01T00:00:00.000Z',
  key,
  value: typeof value === 'string' ? value : JSON.stringify(value),
  encoding: 'utf8',
  headers: [{ key: 'clickpulse.source', value: 'sample.csv' }],
  sizeBytes: 10,
});

const values = [
  msg({ event_type: 'purchase', brand: 'acme' }),
  msg({ event_type: 'view', brand: 'purchase-co' }),
  msg({ event_type: 'cart', nested: { kind: 'purchase' } }),
  msg('not json, but purchase'),
];

const found = (q: string) => values.filter((m) => compileQuery(q).matches(m)).map((m) => values.indexOf(m));

describe('Topics search queries', () => {
  it('reads the pretty-printed JSON form as field = value', () => {
    expect(compileQuery('"event_type": "purchase"').understood).toBe('event_type = purchase');
    expect(found('"event_type": "purchase"')).toEqual([0]);
    expect(found('event_type = purchase')).toEqual([0]);
    expect(found('event_type=PURCHASE')).toEqual([0]);
    expect(found('nested.kind = purchase')).toEqual([2]);
  });

  it('finds text anywhere, in compact and pretty JSON alike', () => {
    expect(found('purchase')).toEqual([0, 1, 2, 3]);
    expect(found('"brand": "acme"')).toEqual([0]);
    expect(found('"brand":"acme"')).toEqual([0]);
    expect(found('{ "event_type": "view",')).toEqual([1]);
  });

  it('matches the key and headers by name', () => {
    expect(compileQuery('key = u1').matches(msg({}, 'u1'))).toBe(true);
    expect(compileQuery('key = u1').matches(msg({}, 'u2'))).toBe(false);
    expect(compileQuery('header.clickpulse.source = sample.csv').matches(msg({}))).toBe(true);
  });

  it('reads event_time in ISO and in REES46 text, and nothing else', () => {
    expect(eventTimeOf('{"event_time":"2019-10-01T00:10:00.000Z"}')).toBe(Date.UTC(2019, 9, 1, 0, 10));
    expect(eventTimeOf('{"event_time":"2019-10-01 00:10:00 UTC"}')).toBe(Date.UTC(2019, 9, 1, 0, 10));
    expect(eventTimeOf('{"event_time":"soon"}')).toBeNull();
    expect(eventTimeOf('plain')).toBeNull();
  });
});
