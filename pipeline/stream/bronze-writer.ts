import { closeSync, fsyncSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { DuckDBInstance, DuckDBTimestampTZValue, type DuckDBConnection } from '@duckdb/node-api';
import { fsyncDirectory } from '../fsync-dir';
import { lakePaths } from '../lake/layout';
import { quoteLiteral } from '../query/sql-builder';
import { BronzeManifest, type BronzeRange } from './bronze-manifest';

/** One Kafka message as Bronze keeps it. */
export interface RawMessage {
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestampMs: number;
}

interface PartitionBuffer {
  messages: RawMessage[];
  since: number;
}

export interface BronzeWriterOptions {
  flushRows: number;
  flushMs: number;
}

export const DEFAULT_BRONZE_OPTIONS: BronzeWriterOptions = { flushRows: 50_000, flushMs: 2000 };

/**
 * Writes a topic's messages into Bronze exactly once: per partition, buffered messages become one Parquet file
 * named by its first and last offset (temp file, fsync, rename), then a manifest line. Messages at or below
 * what the manifest holds are dropped on arrival, so a redelivery after a crash never lands twice.
 */
export class BronzeWriter {
  private readonly buffers = new Map<number, PartitionBuffer>();
  private readonly expected = new Map<number, number>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly lake: string,
    readonly topic: string,
    readonly manifest: BronzeManifest,
    private readonly db: DuckDBConnection,
    private readonly instance: DuckDBInstance,
    private readonly options: BronzeWriterOptions,
    private readonly onCommit: (range: BronzeRange, oldestKafkaMs: number) => void,
  ) {}

  static async open(
    lake: string,
    topic: string,
    options: Partial<BronzeWriterOptions> = {},
    onCommit: (range: BronzeRange, oldestKafkaMs: number) => void = () => undefined,
  ): Promise<BronzeWriter> {
    const manifest = BronzeManifest.open(lake, topic);
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    await db.run(`SET TimeZone = 'UTC';
      CREATE TABLE staging (topic VARCHAR, "partition" INTEGER, "offset" BIGINT, "key" VARCHAR, "value" BLOB,
        headers_json VARCHAR, kafka_timestamp TIMESTAMPTZ, ingest_time TIMESTAMPTZ)`);
    return new BronzeWriter(
      lake,
      topic,
      manifest,
      db,
      instance,
      { ...DEFAULT_BRONZE_OPTIONS, ...options },
      onCommit,
    );
  }

  /** Where a partition should be read from: after what Bronze holds, or null (from the beginning). */
  next(partition: number): number | null {
    return this.expected.get(partition) ?? this.manifest.next(partition);
  }

  /** Buffers messages of one partition; those Bronze already has are dropped. */
  add(partition: number, messages: RawMessage[]): void {
    let expected = this.next(partition) ?? -1;
    let buffer = this.buffers.get(partition);
    for (const m of messages) {
      if (m.offset < expected) continue;
      if (!buffer) {
        buffer = { messages: [], since: Date.now() };
        this.buffers.set(partition, buffer);
      }
      buffer.messages.push(m);
      expected = m.offset + 1;
    }
    if (expected >= 0) this.expected.set(partition, expected);
  }

  /** Buffered messages not yet in a file. */
  get buffered(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.messages.length;
    return n;
  }

  /** Writes the partitions whose buffer is full or old enough (all of them with force). */
  flush(force = false): Promise<void> {
    const run = this.queue.then(async () => {
      const now = Date.now();
      for (const [partition, buffer] of [...this.buffers]) {
        const due =
          force ||
          buffer.messages.length >= this.options.flushRows ||
          now - buffer.since >= this.options.flushMs;
        if (!due || buffer.messages.length === 0) continue;
        this.buffers.delete(partition);
        await this.writeFile(partition, buffer.messages);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Drops what is buffered for partitions this consumer no longer owns (they will be re-read). */
  forget(partitions: number[]): void {
    for (const p of partitions) {
      this.buffers.delete(p);
      this.expected.delete(p);
    }
  }

  private async writeFile(partition: number, messages: RawMessage[]): Promise<void> {
    const first = messages[0]?.offset ?? 0;
    const last = messages.at(-1)?.offset ?? first;
    const target = lakePaths(this.lake).bronzeFile(this.topic, partition, BigInt(first), BigInt(last));
    const temp = `${target}.tmp`;
    mkdirSync(dirname(target), { recursive: true });
    const ingest = new DuckDBTimestampTZValue(BigInt(Date.now()) * 1000n);
    const appender = await this.db.createAppender('staging');
    let oldest = Number.POSITIVE_INFINITY;
    for (const m of messages) {
      appender.appendVarchar(this.topic);
      appender.appendInteger(partition);
      appender.appendBigInt(BigInt(m.offset));
      if (m.key === null) appender.appendNull();
      else appender.appendVarchar(m.key.toString('utf8'));
      if (m.value === null) appender.appendNull();
      else appender.appendBlob(m.value);
      appender.appendVarchar(JSON.stringify(m.headers));
      appender.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt(m.timestampMs) * 1000n));
      appender.appendTimestampTZ(ingest);
      appender.endRow();
      if (m.timestampMs < oldest) oldest = m.timestampMs;
    }
    appender.closeSync();
    await this.db.run(`COPY (
        SELECT topic, "partition", "offset", "key", "value", CAST(headers_json::JSON AS MAP(VARCHAR, VARCHAR)) AS headers,
               kafka_timestamp, ingest_time FROM staging ORDER BY "offset"
      ) TO ${quoteLiteral(temp)} (FORMAT parquet, COMPRESSION zstd)`);
    await this.db.run('DELETE FROM staging');
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    fsyncDirectory(dirname(target));
    const range: BronzeRange = {
      partition,
      first,
      last,
      rows: messages.length,
      file: relative(this.lake, target),
      committedAt: new Date().toISOString(),
    };
    this.manifest.record(range);
    this.onCommit(range, oldest);
  }

  async close(): Promise<void> {
    await this.queue;
    this.db.closeSync();
    this.instance.closeSync();
  }
}
