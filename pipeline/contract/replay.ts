import { z } from 'zod';
import { call } from './define';
import type { CallSpec, EventSpec } from './define';

export const CanonicalField = z.enum([
  'event_time',
  'event_type',
  'product_id',
  'category_id',
  'category_code',
  'brand',
  'price',
  'user_id',
  'user_session',
  'order_id',
]);

export type CanonicalField = z.infer<typeof CanonicalField>;
export type Mapping = Partial<Record<CanonicalField, string>>;

/** A replay cannot start without these (event_type may instead be constant, as in a purchase history). */
export const REQUIRED_FIELDS: CanonicalField[] = ['event_time', 'event_type', 'user_id'];

/** Required fields that neither the mapping nor a constant event type supplies. */
export function missingRequired(mapping: Mapping, constantEventType?: string | null): CanonicalField[] {
  return REQUIRED_FIELDS.filter((f) => !mapping[f] && !(f === 'event_type' && constantEventType));
}

export const SourceInspection = z.object({
  path: z.string(),
  format: z.enum(['csv', 'parquet', 'json']),
  sizeBytes: z.number(),
  /** Column names with the types DuckDB detects. */
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  /** The first rows as text (IDs exact). */
  preview: z.array(z.array(z.string().nullable())),
  kind: z.enum(['rees46-behavior', 'rees46-purchases', 'click-log', 'custom']),
  /** Canonical field → source column. */
  mapping: z.partialRecord(CanonicalField, z.string()),
  /** Set when every row has the same event type (the REES46 purchase history: "purchase"). */
  constantEventType: z.string().nullable(),
  missingRequired: z.array(CanonicalField),
  message: z.string().nullable(),
});
export type SourceInspection = z.infer<typeof SourceInspection>;

export const replayCalls = {
  'replay.inspect': call(
    'Read the start of a dataset file: format, detected types, first 100 rows, recognized layout, proposed mapping.',
    z.object({ path: z.string().min(1) }).strict(),
    SourceInspection,
  ),
} satisfies Record<string, CallSpec>;

export const replayEvents = {} satisfies Record<string, EventSpec>;
