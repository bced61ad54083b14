/**
 * What an analyst types in a column's filter box, turned into a structured filter the query service applies
 * with bound parameters. Text columns: plain text means "contains"; numbers and times: comparisons and ranges.
 *   text    "apple"  "=apple"  "!=apple"  "null"  "!null"
 *   number  "100"  ">100"  ">=1.5"  "<0"  "!=3"  "10..20"
 *   time    ">2019-10-01"  "2019-10-01..2019-10-02"
 */
import { columnKind, type ColumnKind } from '../../../pipeline/contract';

export { columnKind, type ColumnKind };

export type FilterOp =
  'contains' | 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'between' | 'null' | 'notnull';

export interface ColumnFilter {
  column: string;
  op: FilterOp;
  value?: string;
  value2?: string;
}

export function parseFilter(
  column: string,
  text: string,
  kind: ColumnKind,
): ColumnFilter | { error: string } | null {
  const input = text.trim();
  if (input === '') return null;
  if (input.toLowerCase() === 'null') return { column, op: 'null' };
  if (input.toLowerCase() === '!null') return { column, op: 'notnull' };

  const check = (value: string): string | undefined => {
    if (kind === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) return `"${value}" is not a number`;
    if (kind === 'time' && Number.isNaN(Date.parse(value))) return `"${value}" is not a date or time`;
    if (kind === 'boolean' && !/^(true|false)$/i.test(value)) return `"${value}" is not true or false`;
    return undefined;
  };

  const range = /^(.+?)\.\.(.+)$/.exec(input);
  if (range && kind !== 'text') {
    const [low, high] = [range[1]?.trim() ?? '', range[2]?.trim() ?? ''];
    const error = check(low) ?? check(high);
    return error ? { error } : { column, op: 'between', value: low, value2: high };
  }

  const comparison = /^(>=|<=|!=|=|>|<)\s*(.*)$/.exec(input);
  if (comparison) {
    const ops: Record<string, FilterOp> = {
      '>=': 'gte',
      '<=': 'lte',
      '!=': 'ne',
      '=': 'eq',
      '>': 'gt',
      '<': 'lt',
    };
    const op = ops[comparison[1] ?? '='] ?? 'eq';
    const value = comparison[2]?.trim() ?? '';
    if (value === '') return { error: `Type a value after ${comparison[1]}` };
    if (kind === 'text' && !['eq', 'ne'].includes(op))
      return { error: 'Text columns compare with = or != only' };
    const error = kind === 'text' ? undefined : check(value);
    return error ? { error } : { column, op, value };
  }

  if (kind === 'text') return { column, op: 'contains', value: input };
  const error = check(input);
  return error ? { error } : { column, op: 'eq', value: input };
}
