/**
 * The embedded "consumer" protocol that Kafka clients put inside JoinGroup metadata (Subscription) and
 * SyncGroup assignments (Assignment). The coordinator relays these bytes untouched; this decoder only
 * serves observability (which partitions each member owns) and tests.
 *
 * Layout (versions 0 and 1 share the prefix; v1 appends owned partitions to the Subscription, which we skip):
 *   Subscription: int16 version, array<string topic>, nullable bytes userData
 *   Assignment:   int16 version, array<{ string topic, array<int32 partition> }>, nullable bytes userData
 */

export interface ConsumerSubscription {
  version: number;
  topics: string[];
  userData: Buffer | null;
}

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface ConsumerAssignment {
  version: number;
  assignedPartitions: TopicPartitions[];
  userData: Buffer | null;
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) throw new RangeError('consumer protocol data is truncated');
  }
  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  string(): string {
    const len = this.int16();
    if (len < 0) throw new RangeError('consumer protocol topic name is null');
    this.need(len);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
  /** Absent trailing userData is tolerated: some clients omit it entirely. */
  nullableBytes(): Buffer | null {
    if (this.pos === this.buf.length) return null;
    const len = this.int32();
    if (len < 0) return null;
    this.need(len);
    const b = Buffer.from(this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
    return b;
  }
  array<T>(item: () => T): T[] {
    const n = this.int32();
    if (n < 0) return [];
    // Each element takes at least 2 bytes; refuse absurd counts before allocating.
    if (n > this.buf.length) throw new RangeError('consumer protocol array length is implausible');
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item());
    return out;
  }
}

class Writer {
  private readonly parts: Buffer[] = [];
  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }
  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  string(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    this.int16(bytes.length);
    this.parts.push(bytes);
    return this;
  }
  nullableBytes(b: Buffer | null): this {
    if (b === null) return this.int32(-1);
    this.int32(b.length);
    this.parts.push(b);
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export function decodeSubscription(data: Buffer): ConsumerSubscription {
  const r = new Reader(data);
  const version = r.int16();
  const topics = r.array(() => r.string());
  const userData = r.nullableBytes();
  return { version, topics, userData };
}

export function encodeSubscription(s: {
  topics: string[];
  userData?: Buffer | null;
  version?: number;
}): Buffer {
  const w = new Writer().int16(s.version ?? 0).int32(s.topics.length);
  for (const t of s.topics) w.string(t);
  return w.nullableBytes(s.userData ?? null).done();
}

export function decodeAssignment(data: Buffer): ConsumerAssignment {
  const r = new Reader(data);
  const version = r.int16();
  const assignedPartitions = r.array(() => ({ topic: r.string(), partitions: r.array(() => r.int32()) }));
  const userData = r.nullableBytes();
  return { version, assignedPartitions, userData };
}

export function encodeAssignment(a: {
  assignedPartitions: TopicPartitions[];
  userData?: Buffer | null;
  version?: number;
}): Buffer {
  const w = new Writer().int16(a.version ?? 0).int32(a.assignedPartitions.length);
  for (const tp of a.assignedPartitions) {
    w.string(tp.topic).int32(tp.partitions.length);
    for (const p of tp.partitions) w.int32(p);
  }
  return w.nullableBytes(a.userData ?? null).done();
}
