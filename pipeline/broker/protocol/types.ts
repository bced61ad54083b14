import { MalformedRequestError, Reader } from './reader';
import { Writer } from './writer';

/**
 * The message description language. Each API's request and response is described once, field by
 * field, with the versions each field exists in — as apache/kafka's published message definitions
 * do — and one generic codec reads and writes any version from that description. From the message's
 * first flexible version on, strings, bytes and arrays use compact (varint) lengths and every struct
 * ends with a tagged-fields section.
 */
export interface Ctx {
  version: number;
  flexible: boolean;
}

export type PrimitiveName =
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'int64'
  | 'float64'
  | 'bool'
  | 'uuid'
  | 'string'
  | 'bytes'
  | 'records';

/**
 * What a Type is made of, so tests can generate values for it and compare it with apache/kafka's
 * message JSON: a primitive (by Kafka's type name), an array of an item type, or a struct of fields.
 */
export type Shape =
  | { kind: 'primitive'; name: PrimitiveName; nullable: boolean }
  | { kind: 'array'; item: Type<unknown>; nullable: boolean }
  | { kind: 'struct'; fields: Readonly<Record<string, Field<unknown>>> };

export interface Type<T> {
  readonly label: string;
  readonly zero: T;
  /** Optional so hand-made Types still fit; every Type built here has one. */
  readonly shape?: Shape;
  read(r: Reader, ctx: Ctx): T;
  write(w: Writer, v: T, ctx: Ctx): void;
}

function prim<T>(
  name: PrimitiveName,
  zero: T,
  read: (r: Reader) => T,
  write: (w: Writer, v: T) => void,
): Type<T> {
  return {
    label: name,
    zero,
    shape: { kind: 'primitive', name, nullable: false },
    read: (r) => read(r),
    write: (w, v) => write(w, v),
  };
}

export const int8 = prim(
  'int8',
  0,
  (r) => r.int8(),
  (w, v) => w.int8(v),
);
export const int16 = prim(
  'int16',
  0,
  (r) => r.int16(),
  (w, v) => w.int16(v),
);
export const int32 = prim(
  'int32',
  0,
  (r) => r.int32(),
  (w, v) => w.int32(v),
);
export const uint16 = prim(
  'uint16',
  0,
  (r) => r.uint16(),
  (w, v) => w.uint16(v),
);
export const float64 = prim(
  'float64',
  0,
  (r) => r.float64(),
  (w, v) => w.float64(v),
);
export const int64 = prim(
  'int64',
  0,
  (r) => r.int64(),
  (w, v) => w.int64(v),
);
export const bool = prim(
  'bool',
  false,
  (r) => r.bool(),
  (w, v) => w.bool(v),
);

/** The all-zero UUID, Kafka's "no topic id". */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** A UUID (topic ids) as Kafka prints it: its 16 bytes in unpadded base64url, 22 characters. */
export const uuid = prim<string>(
  'uuid',
  ZERO_UUID,
  (r) => r.bytes(16).toString('base64url'),
  (w, v) => {
    const b = Buffer.from(v, 'base64url');
    if (b.length !== 16) throw new Error(`uuid ${v} is not 16 bytes of base64url`);
    w.raw(b);
  },
);

/** Length of a string/bytes/array: int16/int32 classic, varint+1 compact; -1 (compact 0) is null. */
function readLength(r: Reader, ctx: Ctx, classic: 'int16' | 'int32'): number {
  if (ctx.flexible) return r.uvarint() - 1;
  return classic === 'int16' ? r.int16() : r.int32();
}
function writeLength(w: Writer, n: number, ctx: Ctx, classic: 'int16' | 'int32'): void {
  if (ctx.flexible) w.uvarint(n + 1);
  else if (classic === 'int16') w.int16(n);
  else w.int32(n);
}

export const nullableString: Type<string | null> = {
  label: 'nullable string',
  zero: null,
  shape: { kind: 'primitive', name: 'string', nullable: true },
  read(r, ctx) {
    const n = readLength(r, ctx, 'int16');
    if (n < -1) throw new MalformedRequestError(`string length ${n} at byte ${r.pos}`);
    return n === -1 ? null : r.string(n);
  },
  write(w, v, ctx) {
    if (v === null) return writeLength(w, -1, ctx, 'int16');
    const b = Buffer.from(v, 'utf8');
    writeLength(w, b.length, ctx, 'int16');
    w.raw(b);
  },
};

export const string: Type<string> = {
  label: 'string',
  zero: '',
  shape: { kind: 'primitive', name: 'string', nullable: false },
  read(r, ctx) {
    const v = nullableString.read(r, ctx);
    if (v === null) throw new MalformedRequestError(`null where a string is required, before byte ${r.pos}`);
    return v;
  },
  write: (w, v, ctx) => nullableString.write(w, v, ctx),
};

export const nullableBytes: Type<Buffer | null> = {
  label: 'nullable bytes',
  zero: null,
  shape: { kind: 'primitive', name: 'bytes', nullable: true },
  read(r, ctx) {
    const n = readLength(r, ctx, 'int32');
    if (n < -1) throw new MalformedRequestError(`bytes length ${n} at byte ${r.pos}`);
    return n === -1 ? null : r.bytes(n);
  },
  write(w, v, ctx) {
    if (v === null) return writeLength(w, -1, ctx, 'int32');
    writeLength(w, v.length, ctx, 'int32');
    w.raw(v);
  },
};

export const bytes: Type<Buffer> = {
  label: 'bytes',
  zero: Buffer.alloc(0),
  shape: { kind: 'primitive', name: 'bytes', nullable: false },
  read: (r, ctx) => nullableBytes.read(r, ctx) ?? Buffer.alloc(0),
  write: (w, v, ctx) => nullableBytes.write(w, v, ctx),
};

/** A record set: bytes holding RecordBatches, passed through untouched. */
export const records: Type<Buffer | null> = {
  ...nullableBytes,
  label: 'records',
  shape: { kind: 'primitive', name: 'records', nullable: true },
};

export function nullableArray<T>(item: Type<T>): Type<T[] | null> {
  return {
    label: `[]${item.label}`,
    zero: null,
    shape: { kind: 'array', item: item as Type<unknown>, nullable: true },
    read(r, ctx) {
      const n = readLength(r, ctx, 'int32');
      if (n === -1) return null;
      // Each item takes at least one byte: a larger count is a lie that would make us allocate forever.
      if (n < -1 || n > r.remaining) throw new MalformedRequestError(`array length ${n} at byte ${r.pos}`);
      const out: T[] = new Array<T>(n);
      for (let i = 0; i < n; i++) out[i] = item.read(r, ctx);
      return out;
    },
    write(w, v, ctx) {
      if (v === null) return writeLength(w, -1, ctx, 'int32');
      writeLength(w, v.length, ctx, 'int32');
      for (const x of v) item.write(w, x, ctx);
    },
  };
}

export function array<T>(item: Type<T>): Type<T[]> {
  const inner = nullableArray(item);
  return {
    label: inner.label,
    zero: [],
    shape: { kind: 'array', item: item as Type<unknown>, nullable: false },
    read: (r, ctx) => inner.read(r, ctx) ?? [],
    write: (w, v, ctx) => inner.write(w, v, ctx),
  };
}

export interface Field<T> {
  type: Type<T>;
  min: number;
  max: number;
  /** Value a reader gets when the field is not in its version (Kafka's "default"). */
  absent: T;
  /** Versions in which null is allowed (Kafka's "nullableVersions"); only for nullable types. */
  nullable?: VersionRange;
  /** A tagged field: written in the struct's tagged section under this tag, only when not `absent`. */
  tag?: number;
  /** Versions in which the field is tagged (Kafka's "taggedVersions"). */
  tagged?: VersionRange;
}

export interface VersionRange {
  min: number;
  max: number;
}

export interface FieldOptions {
  /** Kafka's nullableVersions, e.g. "1+". */
  nullableVersions?: string;
  /** Kafka's tag and taggedVersions: the field lives in the tagged-fields section. */
  tag?: number;
  taggedVersions?: string;
}

export function parseVersions(versions: string): VersionRange {
  const m = /^(\d+)(\+|-(\d+))?$/.exec(versions);
  if (!m) throw new Error(`bad version range ${versions}`);
  const min = Number(m[1]);
  const max = m[2] === '+' ? Infinity : m[3] !== undefined ? Number(m[3]) : min;
  return { min, max };
}

/** A field present in `versions` ("0+", "1-3", "2"), with the value to use where it is absent. */
export function f<T>(type: Type<T>, versions: string, absent?: T, options: FieldOptions = {}): Field<T> {
  const { min, max } = parseVersions(versions);
  const field: Field<T> = { type, min, max, absent: absent ?? type.zero };
  if (options.nullableVersions !== undefined) field.nullable = parseVersions(options.nullableVersions);
  if (options.tag !== undefined) {
    field.tag = options.tag;
    field.tagged = parseVersions(options.taggedVersions ?? versions);
  }
  return field;
}

/** A tagged field (KIP-482): `f` with a tag; taggedVersions default to the field's versions. */
export function tagged<T>(tag: number, type: Type<T>, versions: string, absent?: T): Field<T> {
  return f(type, versions, absent, { tag, taggedVersions: versions });
}

type Fields = Record<string, Field<unknown>>;
export type StructOf<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

function inRange(v: number, range: VersionRange): boolean {
  return v >= range.min && v <= range.max;
}

function isTaggedAt(fd: Field<unknown>, ctx: Ctx): boolean {
  return ctx.flexible && fd.tagged !== undefined && inRange(ctx.version, fd.tagged);
}

/** Structural equality for the values a message holds (numbers, strings, Buffers, arrays, objects). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b))
    return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
    );
  }
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length &&
    ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

interface Plan {
  /** Fields on the wire at this version, in order, outside the tagged section. */
  names: string[];
  fields: Field<unknown>[];
  /** Every field's value when it is not read: filled first so each object gets one shape. */
  absent: [string, unknown][];
  tagged: [string, Field<unknown>][];
}

export function struct<F extends Fields>(fields: F): Type<StructOf<F>> {
  const entries = Object.entries(fields);
  const zero = Object.fromEntries(entries.map(([k, fd]) => [k, fd.absent])) as StructOf<F>;
  const taggedEntries = entries.filter(([, fd]) => fd.tag !== undefined);
  // Which fields a version has is worked out once per version, not per value (Metadata for 5,000
  // partitions reads and writes this struct thousands of times).
  const plans = new Map<number, Plan>();
  const planFor = (ctx: Ctx): Plan => {
    const key = ctx.version * 2 + (ctx.flexible ? 1 : 0);
    let plan = plans.get(key);
    if (!plan) {
      const wire = entries.filter(
        ([, fd]) => ctx.version >= fd.min && ctx.version <= fd.max && !isTaggedAt(fd, ctx),
      );
      plan = {
        names: wire.map(([n]) => n),
        fields: wire.map(([, fd]) => fd),
        absent: entries.map(([n, fd]) => [n, fd.absent]),
        tagged: taggedEntries,
      };
      plans.set(key, plan);
    }
    return plan;
  };
  return {
    label: 'struct',
    zero,
    shape: { kind: 'struct', fields },
    read(r, ctx) {
      const plan = planFor(ctx);
      const out: Record<string, unknown> = {};
      for (const [name, absent] of plan.absent) out[name] = absent;
      for (let i = 0; i < plan.names.length; i++) {
        out[plan.names[i] as string] = (plan.fields[i] as Field<unknown>).type.read(r, ctx);
      }
      if (ctx.flexible) readTaggedFields(r, ctx, plan.tagged, out);
      return out as StructOf<F>;
    },
    write(w, v, ctx) {
      const plan = planFor(ctx);
      const values = v as Record<string, unknown>;
      for (let i = 0; i < plan.names.length; i++) {
        (plan.fields[i] as Field<unknown>).type.write(w, values[plan.names[i] as string], ctx);
      }
      if (ctx.flexible) writeTaggedFields(w, ctx, plan.tagged, values);
    },
  };
}

function readTaggedFields(
  r: Reader,
  ctx: Ctx,
  known: [string, Field<unknown>][],
  out: Record<string, unknown>,
): void {
  const count = r.uvarint();
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    if (tag <= previous)
      throw new MalformedRequestError(`tagged field ${tag} out of order before byte ${r.pos}`);
    previous = tag;
    const size = r.uvarint();
    const hit = known.find(([, fd]) => fd.tag === tag && isTaggedAt(fd, ctx));
    if (!hit) {
      r.bytes(size); // unknown tags are skipped, as KIP-482 requires
      continue;
    }
    const end = r.pos + size;
    if (end > r.end)
      throw new MalformedRequestError(`tagged field ${tag} of ${size} bytes overruns the frame`);
    // Confined to the field's own bytes, so a lying field cannot read past its size.
    const sub = new Reader(r.buf, r.pos, end);
    out[hit[0]] = hit[1].type.read(sub, ctx);
    if (sub.pos !== end)
      throw new MalformedRequestError(`tagged field ${tag}: ${end - sub.pos} bytes left unread`);
    r.pos = end;
  }
}

function writeTaggedFields(
  w: Writer,
  ctx: Ctx,
  known: [string, Field<unknown>][],
  values: Record<string, unknown>,
): void {
  const present = known
    .filter(
      ([name, fd]) =>
        isTaggedAt(fd, ctx) && values[name] !== undefined && !sameValue(values[name], fd.absent),
    )
    .sort((a, b) => (a[1].tag as number) - (b[1].tag as number));
  w.uvarint(present.length);
  for (const [name, fd] of present) {
    const body = new Writer();
    fd.type.write(body, values[name], ctx);
    const bytes = body.toBuffer();
    w.uvarint(fd.tag as number)
      .uvarint(bytes.length)
      .raw(bytes);
  }
}

export type Infer<T> = T extends Type<infer V> ? V : never;
