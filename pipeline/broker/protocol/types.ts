import { MalformedRequestError, type Reader } from './reader';
import type { Writer } from './writer';

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

export interface Type<T> {
  readonly label: string;
  readonly zero: T;
  read(r: Reader, ctx: Ctx): T;
  write(w: Writer, v: T, ctx: Ctx): void;
}

function prim<T>(label: string, zero: T, read: (r: Reader) => T, write: (w: Writer, v: T) => void): Type<T> {
  return { label, zero, read: (r) => read(r), write: (w, v) => write(w, v) };
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
  read: (r, ctx) => nullableBytes.read(r, ctx) ?? Buffer.alloc(0),
  write: (w, v, ctx) => nullableBytes.write(w, v, ctx),
};

/** A record set: bytes holding RecordBatches, passed through untouched. */
export const records: Type<Buffer | null> = { ...nullableBytes, label: 'records' };

export function nullableArray<T>(item: Type<T>): Type<T[] | null> {
  return {
    label: `[]${item.label}`,
    zero: null,
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
}

/** A field present in `versions` ("0+", "1-3", "2"), with the value to use where it is absent. */
export function f<T>(type: Type<T>, versions: string, absent?: T): Field<T> {
  const m = /^(\d+)(\+|-(\d+))?$/.exec(versions);
  if (!m) throw new Error(`bad version range ${versions}`);
  const min = Number(m[1]);
  const max = m[2] === '+' ? Infinity : m[3] !== undefined ? Number(m[3]) : min;
  return { type, min, max, absent: absent ?? type.zero };
}

type Fields = Record<string, Field<unknown>>;
export type StructOf<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

function skipTaggedFields(r: Reader): void {
  const count = r.uvarint();
  for (let i = 0; i < count; i++) {
    r.uvarint(); // tag: we define no tagged fields, so every tag is skipped as unknown
    r.bytes(r.uvarint());
  }
}

export function struct<F extends Fields>(fields: F): Type<StructOf<F>> {
  const entries = Object.entries(fields);
  const zero = Object.fromEntries(entries.map(([k, fd]) => [k, fd.absent])) as StructOf<F>;
  return {
    label: 'struct',
    zero,
    read(r, ctx) {
      const out: Record<string, unknown> = {};
      for (const [name, fd] of entries) {
        out[name] = ctx.version >= fd.min && ctx.version <= fd.max ? fd.type.read(r, ctx) : fd.absent;
      }
      if (ctx.flexible) skipTaggedFields(r);
      return out as StructOf<F>;
    },
    write(w, v, ctx) {
      for (const [name, fd] of entries) {
        if (ctx.version >= fd.min && ctx.version <= fd.max)
          fd.type.write(w, (v as Record<string, unknown>)[name], ctx);
      }
      if (ctx.flexible) w.uvarint(0);
    },
  };
}

export type Infer<T> = T extends Type<infer V> ? V : never;
