import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { fsyncDirectory } from '../fsync-dir';
import { limitLakeDb } from '../lake/duckdb';
import { lakePaths } from '../lake/layout';
import { quoteLiteral } from '../query/sql-builder';
import { BronzeManifest, type BronzeRange } from './bronze-manifest';
import { decodeRecordBatches, RecordView, type AbortedTransaction } from '../kafka/record-decoder';
import { BronzeRows, splitRows, type HeaderValue } from './bronze-rows';

export interface BronzeWriterOptions {
  flushRows: number;
  flushMs: number;
}

/**
 * Bytes of a partition's block kept in memory: past this, after a fetched block, its rows go to the block's
 * text file. Held whole, the blocks being filled and those being written were most of the consumer's
 * JavaScript memory (100–150 MB of ArrayBuffers for three partitions at 50k rows a block).
 */
const SPILL_BYTES = 4 << 20;

/** Rows per Parquet row group of a Bronze file (see copyRows). */
const BRONZE_ROW_GROUP = 16_384;

export const DEFAULT_BRONZE_OPTIONS: BronzeWriterOptions = { flushRows: 50_000, flushMs: 2000 };

/**
 * Writes a topic's messages into Bronze exactly once: per partition, buffered messages become one Parquet file
 * named by its first and last offset (temp file, fsync, rename), then a manifest line. Messages at or below
 * what the manifest holds are dropped on arrival, so a redelivery after a crash never lands twice.
 */
export class BronzeWriter {
  private readonly buffers = new Map<number, BronzeRows>();
  private readonly expected = new Map<number, number>();
  /** One write lane per partition: its files in offset order, on its own connection, so partitions write in parallel. */
  private readonly lanes = new Map<number, { db: Promise<DuckDBConnection>; queue: Promise<unknown> }>();
  /** Files being written (DuckDB works off the JS thread meanwhile). */
  private writing = 0;
  /** The one record view every fetched block is decoded through. */
  private readonly view = new RecordView();
  /** Each partition's buffer from its last block, for its next one. */
  private readonly spare = new Map<number, Buffer>();

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
    // One partition's block at a time: a small cap is plenty. One thread per statement: the partitions'
    // lanes already write in parallel, and a block of ~15 MB split over DuckDB's worker threads cost more in
    // hand-offs than it gained (1M REES46 rows, replay → Bronze in one process, loaded 2-core machine:
    // 33–36 s of CPU with the default threads, 27.3–27.5 s with one; wall 47 → 29 s).
    await limitLakeDb(db, '128MB');
    await db.run('SET threads = 1');
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

  /**
   * Takes one message of a partition (in offset order); one Bronze already has is dropped. Returns false
   * for a dropped one. The message is copied into the partition's text block at once: nothing is kept per row.
   */
  add(
    partition: number,
    offset: number,
    timestampMs: number,
    key: Buffer | null,
    headers: Record<string, HeaderValue> | null,
    value: Buffer | null,
  ): boolean {
    const expected = this.next(partition) ?? -1;
    if (offset < expected) return false;
    const rows = this.block(partition);
    rows.append(offset, timestampMs, key, headers, value);
    this.expected.set(partition, offset + 1);
    if (rows.bytes >= SPILL_BYTES) rows.spill(this.textFile(partition, rows.first));
    return true;
  }

  /** The partition's block being filled (a new one in the partition's spare buffer when there is none). */
  private block(partition: number): BronzeRows {
    let rows = this.buffers.get(partition);
    if (!rows) {
      rows = new BronzeRows(this.spare.get(partition) ?? 1 << 20);
      this.spare.delete(partition);
      this.buffers.set(partition, rows);
    }
    return rows;
  }

  /** The text file DuckDB reads a block from (.tmp: a crash leaves nothing the manifest would adopt). */
  private textFile(partition: number, first: number): string {
    const dir = lakePaths(this.lake).bronzePartition(this.topic, partition);
    mkdirSync(dir, { recursive: true });
    return join(dir, `block-${first}.rows.tmp`);
  }

  /**
   * Takes one fetched block of a partition — the record batches exactly as Kafka sent them — decoding the
   * records straight into the partition's text block (no object per message). Records Bronze already has
   * are dropped. Returns the offset of the first record taken (null: none) and how many were taken.
   */
  addRecords(
    partition: number,
    records: Buffer,
    aborted: readonly AbortedTransaction[] | null = null,
  ): { first: number | null; added: number } {
    const from = this.next(partition) ?? 0;
    const rows = this.block(partition);
    const before = rows.count;
    const decoded = decodeRecordBatches(records, from, rows, aborted, this.view);
    if (decoded.records === 0) return { first: null, added: 0 };
    this.expected.set(partition, rows.last + 1);
    if (rows.bytes >= SPILL_BYTES) rows.spill(this.textFile(partition, rows.first));
    return { first: decoded.first, added: rows.count - before };
  }

  /** Buffered messages not yet in a file. */
  get buffered(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.count;
    return n;
  }

  /** Files queued or being written: the consumer waits for the oldest when this passes 1. */
  get pendingWrites(): number {
    return this.writing;
  }

  /**
   * Writes the partitions whose buffer is full or old enough (all of them with force). The due buffers are
   * taken at once (their last rows go to their text files now, and their buffers to the next blocks), so the
   * consumer keeps filling fresh ones while DuckDB writes these.
   */
  flush(force = false): Promise<void> {
    const now = Date.now();
    const due: [number, BronzeRows][] = [];
    for (const [partition, rows] of this.buffers) {
      const ready = force || rows.count >= this.options.flushRows || now - rows.since >= this.options.flushMs;
      if (ready && rows.count > 0) due.push([partition, rows]);
    }
    const runs: Promise<unknown>[] = [];
    for (const [partition, rows] of due) {
      this.buffers.delete(partition);
      const text = this.textFile(partition, rows.first);
      this.spare.set(partition, rows.finish(text));
      const lane = this.lane(partition);
      this.writing++;
      const run = lane.queue
        .then(async () => this.writeFile(partition, rows, text, await lane.db))
        .finally(() => this.writing--);
      lane.queue = run.catch(() => undefined);
      runs.push(run);
    }
    // Also waits for what earlier calls queued, so flush(true) means everything is written.
    for (const lane of this.lanes.values()) runs.push(lane.queue);
    return Promise.all(runs).then(() => undefined);
  }

  private lane(partition: number) {
    let lane = this.lanes.get(partition);
    if (!lane) {
      const db = this.instance.connect().then(async (c) => {
        await c.run("SET TimeZone = 'UTC'");
        return c;
      });
      lane = { db, queue: db };
      this.lanes.set(partition, lane);
    }
    return lane;
  }

  /** Drops what is buffered for partitions this consumer no longer owns (they will be re-read). */
  forget(partitions: number[]): void {
    for (const p of partitions) {
      this.buffers.get(p)?.discard();
      this.buffers.delete(p);
      this.expected.delete(p);
    }
  }

  /** Writes a finished block (its rows in the text file) as the partition's next Bronze file. */
  private async writeFile(
    partition: number,
    rows: BronzeRows,
    text: string,
    db: DuckDBConnection,
  ): Promise<void> {
    const first = rows.first;
    const last = rows.last;
    const target = lakePaths(this.lake).bronzeFile(this.topic, partition, BigInt(first), BigInt(last));
    const temp = `${target}.tmp`;
    try {
      let written: number;
      try {
        written = await this.copyRows(db, text, partition, temp, rows.longest, rows.lineageOnly);
      } catch {
        // A key or value that is not UTF-8 text: the same rows again, every field hex-encoded.
        const hex = BronzeRows.hexOf(splitRows(readFileSync(text)));
        writeFileSync(text, hex.view());
        written = await this.copyRows(db, text, partition, temp, hex.longest, false);
      }
      if (written !== rows.count) {
        throw new Error(
          `Bronze wrote ${written} rows of partition ${partition} offsets ${first}–${last}, expected ${rows.count}.`,
        );
      }
    } finally {
      rmSync(text, { force: true });
    }
    // Async: the thread goes on fetching while the disk syncs (a sync fsync showed as 4 % of its CPU profile).
    const file = await open(temp, 'r');
    try {
      await file.sync();
    } finally {
      await file.close();
    }
    renameSync(temp, target);
    fsyncDirectory(dirname(target));
    const range: BronzeRange = {
      partition,
      first,
      last,
      rows: rows.count,
      file: relative(this.lake, target),
      committedAt: new Date().toISOString(),
    };
    this.manifest.record(range);
    this.onCommit(range, rows.oldestMs);
  }

  /**
   * One statement: the text block (see BronzeRows) read by DuckDB's CSV reader into a Parquet file. No
   * dictionary pages: Bronze's offsets, values and lineage rows are all distinct, so the writer built
   * dictionaries only to drop them — 16 % of this statement's CPU (4.4 → 3.7 µs a row, one thread, 200k
   * REES46 messages), with the same file size after zstd. Row groups of 16,384 rows: the writer holds a row
   * group's columns until it is full, and each lane's whole block was one row group (the consumer's peak RSS
   * went from 563–587 to 470–489 MB at 10,240 rows, three lanes, 1M REES46 rows; the same CPU, files 6 %
   * bigger).
   */
  private async copyRows(
    db: DuckDBConnection,
    text: string,
    partition: number,
    temp: string,
    longest: number,
    lineageOnly: boolean,
  ): Promise<number> {
    const lineBytes = Math.max(2 << 20, longest + 1);
    // `k RS v RS k RS v` split into a map; a block of replayed rows only (see BronzeRows.lineageOnly) has the
    // two lineage keys in that order, so only the values are taken from the text.
    const textHeaders = lineageOnly
      ? `map(['clickpulse.source', 'clickpulse.row'], [split_part(h, chr(30), 2), split_part(h, chr(30), 4)])`
      : `map(list_slice(string_split(h, chr(30)), 1, -1, 2), list_slice(string_split(h, chr(30)), 2, -1, 2))`;
    const result = await db.run(`COPY (
        SELECT ${quoteLiteral(this.topic)} AS topic, ${partition}::INTEGER AS "partition", o AS "offset",
          CASE WHEN x THEN decode(unhex(k)) ELSE k END AS "key",
          CASE WHEN x THEN unhex(v) ELSE encode(v) END AS "value",
          CASE WHEN x THEN CAST(decode(unhex(h))::JSON AS MAP(VARCHAR, VARCHAR))
               WHEN h = '' THEN MAP {}::MAP(VARCHAR, VARCHAR)
               ELSE ${textHeaders}
          END AS headers,
          epoch_ms(t)::TIMESTAMPTZ AS kafka_timestamp, now() AS ingest_time
        FROM read_csv(${quoteLiteral(text)}, auto_detect = false, header = false, delim = chr(31), quote = '',
          escape = '', new_line = '\\n', nullstr = chr(2), strict_mode = true, max_line_size = ${lineBytes}, buffer_size = ${lineBytes * 4},
          columns = {'o': 'BIGINT', 't': 'BIGINT', 'k': 'VARCHAR', 'h': 'VARCHAR', 'v': 'VARCHAR', 'x': 'BOOLEAN'})
      ) TO ${quoteLiteral(temp)} (FORMAT parquet, COMPRESSION zstd, DICTIONARY_SIZE_LIMIT 0, ROW_GROUP_SIZE ${BRONZE_ROW_GROUP})`);
    return Number(result.rowsChanged);
  }

  async close(): Promise<void> {
    // Rows not in a file yet were never recorded: the next consumer reads them again from Kafka.
    for (const rows of this.buffers.values()) rows.discard();
    this.buffers.clear();
    for (const lane of this.lanes.values()) {
      await lane.queue;
      (await lane.db).closeSync();
    }
    this.db.closeSync();
    this.instance.closeSync();
  }
}
