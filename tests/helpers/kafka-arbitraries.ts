import fc from 'fast-check';
import type { Ctx, Field, Shape, Type } from '../../pipeline/broker/protocol/types';
import { Writer } from '../../pipeline/broker/protocol/writer';

/**
 * fast-check arbitraries for any message description, driven by each Type's shape: a value of a
 * struct at a version has every field of that version (absent fields keep their default, as a
 * reader returns them), null only where the field is nullable in that version.
 */
export interface Sizes {
  /** Most items of an array. */
  maxItems: number;
  /** Longest string or byte run. */
  maxBytes: number;
}

const SMALL: Sizes = { maxItems: 4, maxBytes: 40 };

function shapeOf(type: Type<unknown>): Shape {
  if (!type.shape) throw new Error(`type ${type.label} has no shape`);
  return type.shape;
}

function primitive(name: string, sizes: Sizes): fc.Arbitrary<unknown> {
  switch (name) {
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'int32':
      return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'int64':
      // The codec holds int64 as JS numbers, refusing anything beyond ±2^53.
      return fc.maxSafeInteger();
    case 'float64':
      return fc.double();
    case 'bool':
      return fc.boolean();
    case 'uuid':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64url'));
    case 'string':
      return fc.string({ unit: 'binary', maxLength: sizes.maxBytes });
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: sizes.maxBytes }).map((b) => Buffer.from(b));
    default:
      throw new Error(`no arbitrary for primitive ${name}`);
  }
}

function valueOf(type: Type<unknown>, ctx: Ctx, sizes: Sizes, nullable: boolean): fc.Arbitrary<unknown> {
  const shape = shapeOf(type);
  let arb: fc.Arbitrary<unknown>;
  if (shape.kind === 'primitive') arb = primitive(shape.name, sizes);
  else if (shape.kind === 'array')
    arb = fc.array(valueOf(shape.item, ctx, sizes, false), { maxLength: sizes.maxItems });
  else arb = structOf(shape.fields, ctx, sizes);
  const mayBeNull = shape.kind !== 'struct' && shape.nullable && nullable;
  return mayBeNull ? fc.option(arb, { nil: null, freq: 4 }) : arb;
}

function nullableAt(fd: Field<unknown>, version: number): boolean {
  // Hand-made fields without nullableVersions: trust the type.
  if (!fd.nullable) return true;
  return version >= fd.nullable.min && version <= fd.nullable.max;
}

function structOf(
  fields: Readonly<Record<string, Field<unknown>>>,
  ctx: Ctx,
  sizes: Sizes,
): fc.Arbitrary<unknown> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, fd] of Object.entries(fields)) {
    const present = ctx.version >= fd.min && ctx.version <= fd.max;
    record[name] = present
      ? valueOf(fd.type, ctx, sizes, nullableAt(fd, ctx.version))
      : fc.constant(fd.absent);
  }
  // Decoders build plain objects; null-prototype records would only make strict deep equality fail.
  return fc.record(record, { noNullPrototype: true });
}

/** Values of a message (or any Type) as they exist at ctx's version. */
export function arbitraryFor<T>(type: Type<T>, ctx: Ctx, sizes: Sizes = SMALL): fc.Arbitrary<T> {
  return valueOf(type as Type<unknown>, ctx, sizes, true) as fc.Arbitrary<T>;
}

export function encodedLength(type: Type<unknown>, value: unknown, ctx: Ctx): number {
  const w = new Writer();
  type.write(w, value, ctx);
  return w.length;
}

interface Growable {
  /** Encoded bytes added per step, and a function that applies n steps to a copy of the message. */
  step: number;
  apply(n: number): unknown;
}

/**
 * Makes a message about `target` bytes long by repeating the items of one of its arrays (any depth),
 * or failing that by lengthening a bytes field. Returns null when the message has neither in this
 * version (e.g. only int16-length strings, which cannot reach 64 KiB).
 */
export function grow(type: Type<unknown>, value: unknown, ctx: Ctx, target: number): unknown {
  const base = encodedLength(type, value, ctx);
  if (base >= target) return value;
  const g = findGrowable(type, value, ctx, (v) => v);
  if (!g) return null;
  // Lands within a step of the target (compact lengths add a byte or two): callers aim at a spread of
  // sizes around a boundary anyway, and measure the frames they get.
  return g.apply(Math.ceil((target - base) / g.step));
}

function findGrowable(
  type: Type<unknown>,
  value: unknown,
  ctx: Ctx,
  rebuild: (v: unknown) => unknown,
): Growable | null {
  const shape = shapeOf(type);
  if (shape.kind === 'array' && Array.isArray(value)) {
    // An empty array grows with its item type's default value.
    const items = value.length > 0 ? (value as unknown[]) : [shape.item.zero];
    const inner = items.findIndex((x, i) => findGrowable(shape.item, x, ctx, () => i) !== null);
    const sizes = items.map((x) => encodedLength(shape.item, x, ctx));
    // The largest item: fewer objects to build for a 1 MiB message.
    const step = Math.max(...sizes);
    if (step > 0) {
      const largest = items[sizes.indexOf(step)];
      return { step, apply: (n) => rebuild([...items, ...Array<unknown>(n).fill(largest)]) };
    }
    if (inner === -1) return null;
    return findGrowable(shape.item, items[inner], ctx, (v) =>
      rebuild(items.map((y, j) => (j === inner ? v : y))),
    );
  }
  if (shape.kind === 'struct' && value !== null && typeof value === 'object') {
    const fields = Object.entries(shape.fields).filter(
      ([, fd]) => ctx.version >= fd.min && ctx.version <= fd.max,
    );
    // Arrays first: they grow any message the way real ones grow (more topics, partitions, groups).
    for (const pass of ['array', 'bytes', 'string'] as const) {
      for (const [name, fd] of fields) {
        if (fd.tag !== undefined && ctx.flexible) continue;
        const inner = (value as Record<string, unknown>)[name];
        const s = shapeOf(fd.type);
        const again = (v: unknown) => rebuild({ ...(value as Record<string, unknown>), [name]: v });
        if (pass === 'array' && (s.kind === 'array' || s.kind === 'struct')) {
          const found = findGrowable(fd.type, inner, ctx, again);
          if (found) return found;
        }
        if (pass === 'bytes' && s.kind === 'primitive' && (s.name === 'bytes' || s.name === 'records')) {
          const start = Buffer.isBuffer(inner) ? inner : Buffer.alloc(0);
          return { step: 1, apply: (n) => again(Buffer.concat([start, Buffer.alloc(n, 0x5a)])) };
        }
        if (pass === 'string' && s.kind === 'primitive' && s.name === 'string') {
          const start = typeof inner === 'string' ? inner : '';
          // Classic strings have an int16 length: they cannot pass 32,767 bytes.
          const room = ctx.flexible ? Infinity : 32767 - Buffer.byteLength(start);
          return { step: 1, apply: (n) => (n > room ? null : again(start + 'z'.repeat(n))) };
        }
      }
    }
  }
  return null;
}
