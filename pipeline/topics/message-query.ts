import type { BrokerMessage } from '../contract';

/**
 * A Topics search, compiled once: `field = value` (also `field: value`, `"field": "value"` as JSON shows
 * it) compares one field of the parsed JSON value (or key / header.<name>); anything else is a
 * case-insensitive substring of the key, headers and value, in the value's compact and pretty JSON forms.
 */
export interface MessageQuery {
  understood: string;
  matches(m: BrokerMessage): boolean;
}

const FIELD_VALUE = /^\s*"?([A-Za-z_$][\w$.-]*)"?\s*(?:=|:|==)\s*(.+?)\s*,?\s*$/;

export function compileQuery(text: string): MessageQuery {
  const field = FIELD_VALUE.exec(text);
  if (field) return fieldQuery(field[1] as string, unquote(field[2] as string));
  return textQuery(text.trim());
}

function unquote(value: string): string {
  const m = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
  return m ? (m[1] as string) : value;
}

/** Pretty-printed JSON differs from compact only by white space around punctuation: drop it from the needle. */
function compactJson(needle: string): string {
  return needle.replace(/\s*([:,{}[\]])\s*/g, '$1');
}

function textQuery(text: string): MessageQuery {
  const needle = text.toLowerCase();
  const compact = compactJson(needle);
  const has = (s: string | null) =>
    s !== null &&
    (s.toLowerCase().includes(needle) || (compact !== needle && s.toLowerCase().includes(compact)));
  return {
    understood: `text “${text}” in key, value or headers`,
    matches: (m) => has(m.key) || has(m.value) || m.headers.some((h) => has(h.key) || has(h.value)),
  };
}

function fieldQuery(field: string, value: string): MessageQuery {
  const wanted = value.toLowerCase();
  const understood = `${field} = ${value}`;
  if (field === 'key') return { understood, matches: (m) => (m.key ?? '').toLowerCase() === wanted };
  if (field.startsWith('header.')) {
    const name = field.slice('header.'.length);
    return {
      understood,
      matches: (m) => m.headers.some((h) => h.key === name && (h.value ?? '').toLowerCase() === wanted),
    };
  }
  const path = field.split('.');
  return {
    understood,
    matches: (m) => {
      // Cheap test first: a value that does not contain the text cannot hold it in a field, so only
      // candidates are parsed.
      if (m.encoding !== 'utf8' || m.value === null || !m.value.toLowerCase().includes(wanted)) return false;
      let node: unknown;
      try {
        node = JSON.parse(m.value);
      } catch {
        return false;
      }
      for (const part of path) {
        if (node === null || typeof node !== 'object') return false;
        node = (node as Record<string, unknown>)[part];
      }
      if (node === undefined) return false;
      const text = node === null ? 'null' : typeof node === 'object' ? JSON.stringify(node) : String(node);
      return text.toLowerCase() === wanted;
    },
  };
}
