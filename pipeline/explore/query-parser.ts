import { ApiError } from '../contract';

/**
 * The query bar's syntax, Kibana-like:
 *   brand:apple              field equals value (text fields ignore case)
 *   brand:"dr. martens"      quoted values keep spaces and may hold any character ("" or \" for a quote)
 *   price>100 price<=5.5     comparisons on numeric fields (also :, >=, <)
 *   -brand:apple             NOT
 *   iphone "user 5"          free text: every word must occur in brand, category code, product, user or session
 */
export type Term =
  | { kind: 'field'; field: string; op: ':' | '>' | '>=' | '<' | '<='; value: string; negate: boolean }
  | { kind: 'text'; value: string; negate: boolean };

export interface FieldDef {
  /** Silver column. */
  column: string;
  type: 'text' | 'id' | 'number' | 'date';
}

/** Fields the bar knows, by the name a user types (aliases included). */
export const FIELDS: Record<string, FieldDef> = {
  event_type: { column: 'event_type', type: 'text' },
  type: { column: 'event_type', type: 'text' },
  brand: { column: 'brand', type: 'text' },
  category_code: { column: 'category_code', type: 'text' },
  category: { column: 'category_code', type: 'text' },
  category_l1: { column: 'category_l1', type: 'text' },
  category_l2: { column: 'category_l2', type: 'text' },
  category_l3: { column: 'category_l3', type: 'text' },
  category_id: { column: 'category_id', type: 'id' },
  product_id: { column: 'product_id', type: 'id' },
  product: { column: 'product_id', type: 'id' },
  user_id: { column: 'user_id', type: 'id' },
  user: { column: 'user_id', type: 'id' },
  session_id: { column: 'session_id', type: 'id' },
  session: { column: 'session_id', type: 'id' },
  user_session: { column: 'user_session', type: 'id' },
  order_id: { column: 'order_id', type: 'id' },
  event_id: { column: 'event_id', type: 'id' },
  source_id: { column: 'source_id', type: 'id' },
  topic: { column: 'topic', type: 'id' },
  price: { column: 'price', type: 'number' },
  event_hour: { column: 'event_hour', type: 'number' },
  hour: { column: 'event_hour', type: 'number' },
  partition: { column: 'partition', type: 'number' },
  offset: { column: 'offset', type: 'number' },
  source_row: { column: 'source_row', type: 'number' },
  event_date: { column: 'event_date', type: 'date' },
  date: { column: 'event_date', type: 'date' },
};

/** Columns free text looks in. */
export const FREE_TEXT_COLUMNS = ['brand', 'category_code', 'product_id', 'user_id', 'session_id'];

const OPS = ['>=', '<=', ':', '>', '<'] as const;

export function parseQuery(text: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  const n = text.length;
  const fail = (message: string): never => {
    throw new ApiError({ code: 'VALIDATION', message: `Query: ${message}` });
  };
  /** A bare word ends at whitespace; a quoted one at its closing quote. */
  const readValue = (): string => {
    if (text[i] === '"') {
      const start = i;
      i++;
      let value = '';
      for (;;) {
        if (i >= n) fail(`the quote opened at character ${start + 1} is never closed.`);
        const c = text[i] as string;
        if (c === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else if (c === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (c === '"') {
          i++;
          return value;
        } else {
          value += c;
          i++;
        }
      }
    }
    const start = i;
    while (i < n && !/\s/.test(text[i] as string)) i++;
    return text.slice(start, i);
  };
  while (i < n) {
    if (/\s/.test(text[i] as string)) {
      i++;
      continue;
    }
    let negate = false;
    if (text[i] === '-' && i + 1 < n && !/\s/.test(text[i + 1] as string)) {
      negate = true;
      i++;
    }
    const field = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))?.[0];
    const after = field ? text.slice(i + field.length) : '';
    const op = field ? OPS.find((o) => after.startsWith(o)) : undefined;
    if (field && op) {
      const def = FIELDS[field.toLowerCase()];
      if (!def) {
        fail(
          `unknown field "${field}". Fields: ${Object.keys(FIELDS).join(', ')}; quote the text ("${field}${op}…") to search for it.`,
        );
      }
      i += field.length + op.length;
      const value = readValue();
      if (value === '') fail(`${field}${op} needs a value.`);
      if (op !== ':' && def?.type !== 'number' && def?.type !== 'date') {
        fail(`${field} is text: compare it with ${field}:value, not ${op}.`);
      }
      if (def?.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) {
        fail(`${field} takes a number, not "${value}".`);
      }
      if (def?.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        fail(`${field} takes a date like 2019-10-01, not "${value}".`);
      }
      terms.push({ kind: 'field', field: field.toLowerCase(), op, value, negate });
    } else {
      const value = readValue();
      if (value !== '') terms.push({ kind: 'text', value, negate });
    }
  }
  return terms;
}
