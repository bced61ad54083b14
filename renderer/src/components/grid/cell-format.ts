import { formatTimestamp } from '../../lib/format';

/** A cell as text: ids stay exact, decimals keep their scale, instants read as UTC. */
export function formatCellValue(value: unknown, type: string): string {
  if (value === null || value === undefined) return 'null';
  const upper = type.toUpperCase();
  if (typeof value === 'bigint') return value.toString();
  if (upper.startsWith('TIMESTAMP') && (typeof value === 'number' || value instanceof Date))
    return formatTimestamp(value);
  if (upper === 'DATE' && (typeof value === 'number' || value instanceof Date)) {
    return new Date(value).toISOString().slice(0, 10);
  }
  const scale = /^DECIMAL\(\d+,\s*(\d+)\)/.exec(upper)?.[1];
  if (scale !== undefined && typeof value === 'number') return value.toFixed(Number(scale));
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (typeof value === 'object')
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}
