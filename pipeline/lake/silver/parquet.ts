/**
 * How every Silver events file is written (incremental steps, the batch build, compaction): zstd, in row
 * groups of SILVER_ROW_GROUP_ROWS rows. Explore's journey reads a user's few rows by file_row_number
 * (explore/user-index.ts), and each row it reads costs decoding its whole row group; DuckDB's default of
 * 122,880 rows made that most of a journey. Measured with `npm run bench:silver-layout` at 1M rows: 16k rows
 * halved a journey's CPU (376 → 192 ms) while the file grew 0.5 % and a full Gold build cost the same CPU;
 * 8k and 32k measured alike within the noise of a shared machine, and 16k matches the user index's segments.
 */
export const SILVER_ROW_GROUP_ROWS = 16_384;

/** COPY options of a Silver events file. */
export const SILVER_PARQUET = `FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${SILVER_ROW_GROUP_ROWS}`;
