import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../query/sql-builder';
import type { SourceFiles } from './source-files';
import { pgType, type Column } from './types';

/** The sink's private DuckDB (UTC): reads the lake's Parquet and writes the CSV that COPY streams. */
export class SinkDuck {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly db: DuckDBConnection,
  ) {}

  static async open(): Promise<SinkDuck> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const db = await instance.connect();
    await db.run("SET TimeZone = 'UTC'");
    return new SinkDuck(instance, db);
  }

  close(): void {
    this.db.closeSync();
    this.instance.closeSync();
  }

  async rows(sql: string): Promise<unknown[][]> {
    return (await this.db.runAndReadAll(sql)).getRowsJS() as unknown[][];
  }

  async count(sql: string): Promise<number> {
    return Number((await this.rows(`SELECT count(*) FROM (${sql})`))[0]?.[0] ?? 0);
  }

  async columns(relation: string, where: string): Promise<Column[]> {
    const described = await this.rows(`DESCRIBE SELECT * FROM ${relation}`);
    return described.map(([name, type]) => ({
      name: String(name),
      duck: String(type),
      pg: pgType(String(type), `${where}.${String(name)}`),
    }));
  }

  /**
   * Writes a query's rows as CSV for COPY … (FORMAT csv): no header, NULL as an unquoted empty field and every
   * text value quoted, so an empty string stays an empty string. Returns the row count.
   */
  async writeCsv(query: string, columns: Column[], file: string): Promise<number> {
    const text = columns.filter((c) => c.duck === 'VARCHAR').map((c) => `"${c.name.replace(/"/g, '""')}"`);
    const quote = text.length ? `, FORCE_QUOTE (${text.join(', ')})` : '';
    const result = await this.db.runAndReadAll(
      `COPY (${query}) TO ${quoteLiteral(file)} (FORMAT csv, HEADER false${quote})`,
    );
    return Number(result.getRowsJS()[0]?.[0] ?? 0);
  }
}

export function readSource(src: Pick<SourceFiles, 'files' | 'hive'>): string {
  return `read_parquet([${src.files.map(quoteLiteral).join(', ')}], hive_partitioning = ${src.hive}, union_by_name = true)`;
}

export function readFile(file: string): string {
  return `read_parquet(${quoteLiteral(file)})`;
}
