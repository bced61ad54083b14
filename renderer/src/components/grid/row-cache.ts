/** Pages of rows fetched on demand and kept in a small LRU, so the grid never holds a whole table. */
export type Row = readonly unknown[];
export type FetchRows = (offset: number, limit: number) => Promise<Row[]>;

export class RowCache {
  private readonly pages = new Map<number, Row[]>();
  private readonly pending = new Set<number>();
  private generation = 0;
  error: string | undefined;

  constructor(
    private readonly fetchRows: FetchRows,
    readonly pageSize = 200,
    private readonly maxPages = 60,
  ) {}

  row(index: number): Row | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.[index % this.pageSize];
  }

  /** Loads every missing page touching [first, last]; calls onLoad once per page that arrives. */
  ensure(first: number, last: number, onLoad: () => void): void {
    const generation = this.generation;
    for (let page = Math.floor(first / this.pageSize); page <= Math.floor(last / this.pageSize); page++) {
      if (page < 0 || this.pages.has(page) || this.pending.has(page)) continue;
      this.pending.add(page);
      this.fetchRows(page * this.pageSize, this.pageSize)
        .then((rows) => {
          if (generation !== this.generation) return;
          this.pages.set(page, rows);
          this.evict(page);
          this.error = undefined;
        })
        .catch((error: unknown) => {
          if (generation === this.generation)
            this.error = error instanceof Error ? error.message : String(error);
        })
        .finally(() => {
          this.pending.delete(page);
          if (generation === this.generation) onLoad();
        });
    }
  }

  /** Forgets everything (new sort or filter): answers still in flight are ignored. */
  clear(): void {
    this.generation++;
    this.pages.clear();
    this.pending.clear();
    this.error = undefined;
  }

  private evict(keep: number): void {
    if (this.pages.size <= this.maxPages) return;
    const farthest = [...this.pages.keys()].sort((a, b) => Math.abs(b - keep) - Math.abs(a - keep));
    for (const page of farthest.slice(0, this.pages.size - this.maxPages)) this.pages.delete(page);
  }
}
