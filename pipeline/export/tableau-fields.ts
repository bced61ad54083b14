import { columnKind } from '../contract/query';

export type TableauDatatype = 'string' | 'integer' | 'real' | 'date' | 'datetime' | 'boolean';

/** How Tableau should treat one column: its type, dimension or measure, and the default aggregation. */
export interface TableauField {
  name: string;
  datatype: TableauDatatype;
  role: 'dimension' | 'measure';
  type: 'nominal' | 'ordinal' | 'quantitative';
  /** Default aggregation of a measure (Tableau's names). */
  aggregation: 'Sum' | 'Avg' | 'Count' | 'Year';
  /** A share between 0 and 1, shown by Tableau as a percentage. */
  percent?: boolean;
}

/** Identifiers: numbers in the source, but summing them is meaningless, so Tableau gets them as text. */
const ID = /(^|_)id$/i;
/** Ratios and averages: adding them up across rows is wrong, their mean is the sensible default. */
const RATIO = /(rate|conversion|^avg_|_to_|share|ratio|percent)/i;
/** Shares between 0 and 1 (conversion, bounce_rate, view_to_cart). */
const SHARE = /(rate|conversion|_to_)/i;
/** Small integers that label a bucket (an hour of the day, a day of the week) rather than count anything. */
const BUCKET = /^(hour|day_of_week|weekday|month|year|minute_of_hour)$/i;

export function tableauField(name: string, duckdbType: string): TableauField {
  const t = duckdbType.toUpperCase();
  if (ID.test(name)) return dimension(name, 'string', 'nominal');
  if (t === 'DATE')
    return { name, datatype: 'date', role: 'dimension', type: 'ordinal', aggregation: 'Year' };
  if (t.startsWith('TIMESTAMP'))
    return { name, datatype: 'datetime', role: 'dimension', type: 'ordinal', aggregation: 'Year' };
  if (t === 'BOOLEAN') return dimension(name, 'boolean', 'nominal');
  if (columnKind(t) === 'number') {
    const integer = /INT/.test(t);
    if (integer && BUCKET.test(name)) return dimension(name, 'integer', 'ordinal');
    return {
      name,
      datatype: integer ? 'integer' : 'real',
      role: 'measure',
      type: 'quantitative',
      aggregation: RATIO.test(name) ? 'Avg' : 'Sum',
      ...(!integer && SHARE.test(name) ? { percent: true } : {}),
    };
  }
  return dimension(name, 'string', 'nominal');
}

function dimension(name: string, datatype: TableauDatatype, type: 'nominal' | 'ordinal'): TableauField {
  return { name, datatype, role: 'dimension', type, aggregation: 'Count' };
}
