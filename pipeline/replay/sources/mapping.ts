import { CanonicalField, type Mapping, type SourceInspection } from '../../contract';

// How source columns are recognized as fields of the canonical event. Pure: no I/O.

export const CANONICAL_FIELDS = CanonicalField.options;

export type SchemaKind = SourceInspection['kind'];

/** Column names each field is known by (lower case), in order of preference. */
const SYNONYMS: Record<(typeof CANONICAL_FIELDS)[number], string[]> = {
  event_time: ['event_time', 'timestamp', 'ts', 'time', 'event_timestamp', 'datetime', 'date'],
  event_type: ['event_type', 'event', 'action', 'type', 'event_name'],
  product_id: ['product_id', 'item_id', 'sku', 'product'],
  category_id: ['category_id', 'cat_id'],
  category_code: ['category_code', 'category', 'page', 'category_name'],
  brand: ['brand', 'manufacturer'],
  price: ['price', 'amount', 'value', 'revenue'],
  user_id: ['user_id', 'userid', 'customer_id', 'visitor_id', 'client_id', 'user'],
  user_session: ['user_session', 'session_id', 'session', 'sessionid'],
  order_id: ['order_id', 'transaction_id', 'orderid'],
};

const REES46_BEHAVIOR = [
  'event_time',
  'event_type',
  'product_id',
  'category_id',
  'category_code',
  'brand',
  'price',
  'user_id',
  'user_session',
];
const REES46_PURCHASES = [
  'event_time',
  'order_id',
  'product_id',
  'category_id',
  'category_code',
  'brand',
  'price',
  'user_id',
];

/** Recognizes the known layouts and proposes a mapping for any file; the user can override it. */
export function proposeMapping(columns: string[]): {
  kind: SchemaKind;
  mapping: Mapping;
  constantEventType?: string;
} {
  const lower = new Map(columns.map((c) => [c.toLowerCase().trim(), c]));
  const has = (names: string[]) => names.every((n) => lower.has(n));
  const mapping: Mapping = {};
  for (const field of CANONICAL_FIELDS) {
    const match = SYNONYMS[field].find((name) => lower.has(name));
    if (match) mapping[field] = lower.get(match);
  }
  if (has(REES46_BEHAVIOR)) return { kind: 'rees46-behavior', mapping };
  if (has(REES46_PURCHASES) && !lower.has('event_type')) {
    // Every row of the electronics purchase history is a purchase.
    const { event_type: _none, ...rest } = mapping;
    return { kind: 'rees46-purchases', mapping: rest, constantEventType: 'purchase' };
  }
  if (
    lower.has('user_id') &&
    (lower.has('session_id') || lower.has('session')) &&
    (lower.has('event') || lower.has('action')) &&
    (lower.has('timestamp') || lower.has('ts') || lower.has('time'))
  ) {
    return { kind: 'click-log', mapping };
  }
  return { kind: 'custom', mapping };
}
