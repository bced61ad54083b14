/**
 * What a user's SQL text holds once comments and trailing semicolons are set aside: the text up to its last
 * significant character (so a trailing `-- comment` cannot swallow the parenthesis the service wraps the
 * statement in) and its first keyword (so a statement that acts while DuckDB merely prepares it — EXPORT
 * DATABASE creates its folder then — is refused before DuckDB sees it).
 *
 * Strings ('…', E'…'), quoted identifiers ("…"), dollar-quoted strings ($tag$…$tag$), line comments (--) and
 * block comments (/* … *\/, nested as in PostgreSQL) are skipped as units, so a `;` or `--` inside a string
 * is not mistaken for one outside.
 */
export interface StatementText {
  /** The text from its first to its last significant character; '' when there is none. */
  body: string;
  /** The first word outside comments and opening parentheses, upper-cased; '' when there is none. */
  keyword: string;
}

export function statementText(sql: string): StatementText {
  let start = -1;
  let end = -1; // exclusive end of the last significant character that is not a ';'
  let keyword = '';
  let i = 0;
  const mark = (from: number, to: number) => {
    if (start < 0) start = from;
    end = to;
  };
  while (i < sql.length) {
    const c = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (c === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      i = newline < 0 ? sql.length : newline + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
      // Unterminated: the whole text goes to DuckDB, which names the error itself.
      if (i < 0) return { body: sql.trim(), keyword };
    } else if (c === "'" || c === '"') {
      const from = i;
      const escapes = c === "'" && /(^|[^A-Za-z0-9_])[Ee]$/.test(sql.slice(Math.max(0, i - 2), i));
      i = skipQuoted(sql, i, c, escapes);
      mark(from, i);
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i, i + 64))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))?.[0] ?? '$$';
      const close = sql.indexOf(tag, i + tag.length);
      const from = i;
      i = close < 0 ? sql.length : close + tag.length;
      mark(from, i);
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === ';') {
      i++;
    } else {
      if (!keyword && /[A-Za-z_]/.test(c))
        keyword = /^[A-Za-z_]+/.exec(sql.slice(i))?.[0].toUpperCase() ?? '';
      else if (!keyword && c !== '(') keyword = c;
      mark(i, i + 1);
      i++;
    }
  }
  return { body: start < 0 || end < 0 ? '' : sql.slice(start, end), keyword };
}

/**
 * The statement under the cursor in a text of several (`a; b; c`): the one whose text holds it, or the one
 * before it when the cursor sits on blank lines or a comment after it (as after pressing Enter past a `;`). Splits on `;` outside strings, quoted names and comments, skipping those as statementText does.
 */
export function statementAt(sql: string, cursor: number): string {
  const spans: { from: number; to: number }[] = [];
  let from = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (c === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      i = newline < 0 ? sql.length : newline + 1;
    } else if (c === '/' && next === '*') {
      const end = skipBlockComment(sql, i);
      i = end < 0 ? sql.length : end;
    } else if (c === "'" || c === '"') {
      const escapes = c === "'" && /(^|[^A-Za-z0-9_])[Ee]$/.test(sql.slice(Math.max(0, i - 2), i));
      i = skipQuoted(sql, i, c, escapes);
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i, i + 64))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))?.[0] ?? '$$';
      const close = sql.indexOf(tag, i + tag.length);
      i = close < 0 ? sql.length : close + tag.length;
    } else if (c === ';') {
      spans.push({ from, to: i + 1 });
      from = ++i;
    } else i++;
  }
  spans.push({ from, to: sql.length });
  const bodies = spans.map((span) => {
    const text = sql.slice(span.from, span.to);
    const body = statementText(text).body;
    return { ...span, body, start: span.from + (body ? text.indexOf(body) : text.length) };
  });
  let here = bodies.findIndex((span) => cursor >= span.from && cursor < span.to);
  if (here < 0) here = bodies.length - 1;
  // Blank lines or a comment before a statement still belong to the one above them.
  if (here > 0 && cursor < (bodies[here]?.start ?? 0)) here--;
  for (let k = here; k >= 0; k--) {
    const body = bodies[k]?.body;
    if (body) return body;
  }
  return bodies.find((span) => span.body)?.body ?? '';
}

function skipBlockComment(sql: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return -1;
}

/** Past the closing quote; a doubled quote is part of the text, and so is \' in an E'…' string. */
function skipQuoted(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    if (backslashEscapes && sql[i] === '\\') i += 2;
    else if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}
