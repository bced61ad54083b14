import { describe, expect, it } from 'vitest';
import { columnKind, parseFilter } from '../../../renderer/src/lib/filter-parse';

describe('column filter parsing', () => {
  it('classifies DuckDB types', () => {
    expect(columnKind('DECIMAL(18,2)')).toBe('number');
    expect(columnKind('BIGINT')).toBe('number');
    expect(columnKind('TIMESTAMP WITH TIME ZONE')).toBe('time');
    expect(columnKind('VARCHAR')).toBe('text');
    expect(columnKind('BOOLEAN')).toBe('boolean');
  });

  it('treats plain text as contains, and supports equality and nulls', () => {
    expect(parseFilter('brand', 'sams', 'text')).toEqual({ column: 'brand', op: 'contains', value: 'sams' });
    expect(parseFilter('brand', '=apple', 'text')).toEqual({ column: 'brand', op: 'eq', value: 'apple' });
    expect(parseFilter('brand', 'null', 'text')).toEqual({ column: 'brand', op: 'null' });
    expect(parseFilter('brand', '!null', 'text')).toEqual({ column: 'brand', op: 'notnull' });
    expect(parseFilter('brand', '   ', 'text')).toBeNull();
  });

  it('parses comparisons and ranges on numbers and times', () => {
    expect(parseFilter('price', '>=100', 'number')).toEqual({ column: 'price', op: 'gte', value: '100' });
    expect(parseFilter('price', '10..20.5', 'number')).toEqual({
      column: 'price',
      op: 'between',
      value: '10',
      value2: '20.5',
    });
    expect(parseFilter('price', '1763.21', 'number')).toEqual({
      column: 'price',
      op: 'eq',
      value: '1763.21',
    });
    expect(parseFilter('event_time', '>2019-10-01 00:10:00', 'time')).toEqual({
      column: 'event_time',
      op: 'gt',
      value: '2019-10-01 00:10:00',
    });
  });

  it('explains what is wrong instead of guessing', () => {
    expect(parseFilter('price', '>abc', 'number')).toEqual({ error: '"abc" is not a number' });
    expect(parseFilter('price', '>', 'number')).toEqual({ error: 'Type a value after >' });
    expect(parseFilter('event_time', 'yesterday..x', 'time')).toEqual({
      error: '"yesterday" is not a date or time',
    });
    expect(parseFilter('brand', '>a', 'text')).toEqual({ error: 'Text columns compare with = or != only' });
  });
});
