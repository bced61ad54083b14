import type { BrokerMessage } from '../../../../pipeline/contract';
import { compileQuery } from '../../../../pipeline/topics/message-query';
import { toCsv } from '../../lib/clipboard-text';

/** Pure helpers of the message browser: search, pretty-printing, parsing a time, and exports. */

export interface SearchFields {
  key: boolean;
  value: boolean;
  headers: boolean;
}

export const ALL_FIELDS: SearchFields = { key: true, value: true, headers: true };

/** Messages whose chosen fields contain `query` (case-insensitive); an empty query keeps them all. */
export function searchMessages(
  messages: BrokerMessage[],
  query: string,
  fields: SearchFields = ALL_FIELDS,
): BrokerMessage[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return messages;
  // `field = value` (or `"field": "value"` as the JSON reads) is one field of the parsed value: the same
  // query the server-side search runs, so both find the same messages.
  const compiled = compileQuery(query);
  if (!compiled.understood.startsWith('text ')) return messages.filter((m) => compiled.matches(m));
  const has = (text: string | null) => text !== null && text.toLowerCase().includes(needle);
  return messages.filter(
    (m) =>
      (fields.key && has(m.key)) ||
      (fields.value && has(m.value)) ||
      (fields.headers && m.headers.some((h) => has(h.key) || has(h.value))),
  );
}

/** A JSON value indented for reading; anything else as it is. */
export function prettyValue(value: string | null): { text: string; json: boolean } {
  if (value === null) return { text: 'null', json: false };
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return { text: value, json: false };
  try {
    return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
  } catch {
    return { text: value, json: false };
  }
}

/**
 * "2019-10-01 00:17:26", "2019-10-01T00:17:26Z" or a bare date, read as UTC (the dataset's convention);
 * returns ms since the epoch, or a sentence saying what is wrong.
 */
export function parseTime(input: string): { ms: number } | { error: string } {
  const text = input.trim();
  if (!text) return { error: 'Enter a time, e.g. 2019-10-01 00:17:26 (UTC).' };
  const match =
    /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?))?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!match) return { error: `"${text}" is not a time: use YYYY-MM-DD HH:MM:SS (UTC).` };
  const ms = Date.parse(`${match[1]}T${match[2] ?? '00:00:00'}${match[3] ?? 'Z'}`);
  if (Number.isNaN(ms)) return { error: `"${text}" is not a valid date.` };
  if (ms < 0) return { error: 'Times before 1970 are not allowed.' };
  return { ms };
}

const headerText = (m: BrokerMessage) => m.headers.map((h) => `${h.key}=${h.value ?? ''}`).join('; ');

export function messagesToCsv(messages: BrokerMessage[]): string {
  return toCsv(
    ['offset', 'timestamp', 'key', 'value', 'headers', 'encoding', 'size_bytes'],
    messages.map((m) => [
      String(m.offset),
      m.timestamp,
      m.key ?? '',
      m.value ?? '',
      headerText(m),
      m.encoding,
      String(m.sizeBytes),
    ]),
    true,
  );
}

/** The messages as shown, with JSON values embedded as JSON rather than as strings. */
export function messagesToJson(topic: string, partition: number, messages: BrokerMessage[]): string {
  return JSON.stringify(
    messages.map((m) => {
      const pretty = m.encoding === 'utf8' ? prettyValue(m.value) : { json: false };
      return {
        topic,
        partition,
        offset: m.offset,
        timestamp: m.timestamp,
        key: m.key,
        value: pretty.json && m.value !== null ? (JSON.parse(m.value) as unknown) : m.value,
        headers: m.headers,
        encoding: m.encoding,
      };
    }),
    null,
    2,
  );
}

/** What to mark for a query: the value of `field = value`, else the text itself. */
export function highlightTerms(query: string): string[] {
  const text = query.trim();
  if (!text) return [];
  const compiled = compileQuery(text);
  if (compiled.understood.startsWith('text ')) return [text];
  const value = compiled.understood.slice(compiled.understood.indexOf(' = ') + 3);
  return value ? [value] : [];
}

/** Sorted, non-overlapping [start, end) ranges of the terms in the text, case-insensitive. */
export function highlightRanges(text: string, terms: string[]): [number, number][] {
  const lower = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (const term of terms) {
    const needle = term.toLowerCase();
    if (!needle) continue;
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length))
      ranges.push([at, at + needle.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}
