/** Pages of rows fetched on demand and kept in a small LRU, so the grid never holds a whole table. */
export type Row = readonly unknown[];
export type FetchRows = (offset: number, limit: number) => Promise<Row[]>;

/**
 * Rows per page the grid asks for: one screen and its overscan at the start of a table. A sorted page of a
 * Lake table decodes one row group for each row it shows (bench:ui at 5M rows, the SQL sandbox's one thread:
 * keys 100 ms, then 200 rows 550-680 ms against 64 rows 250-360 ms), while an unsorted one costs the same for
 * 64 rows as for 200.
 */
export const PAGE_SIZE = 64;

export class RowCache {
  private readonly pages = new Map<number, Row[]>();
  private readonly pending = new Set<number>();
  private generation = 0;
  error: string | undefined;

  constructor(
    private readonly fetchRows: FetchRows,
    readonly pageSize = PAGE_SIZE,
    private readonly maxPages = 180,
  ) {}

  row(index: number): Row | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.[index % this.pageSize];
  }

  /**
   * Loads every missing page touching [first, last], each run of neighbouring missing pages in one fetch
   * (a sorted or filtered page costs a scan on the server, whatever its length); calls onLoad once per
   * fetch that arrives.
   */
  ensure(first: number, last: number, onLoad: () => void): void {
    const lastPage = Math.floor(last / this.pageSize);
    for (let page = Math.max(0, Math.floor(first / this.pageSize)); page <= lastPage; page++) {
      if (this.pages.has(page) || this.pending.has(page)) continue;
      let end = page;
      while (end + 1 <= lastPage && !this.pages.has(end + 1) && !this.pending.has(end + 1)) end++;
      this.load(page, end, onLoad);
      page = end;
    }
  }

  private load(firstPage: number, lastPage: number, onLoad: () => void): void {
    const generation = this.generation;
    const pages = Array.from({ length: lastPage - firstPage + 1 }, (_, i) => firstPage + i);
    for (const page of pages) this.pending.add(page);
    this.fetchRows(firstPage * this.pageSize, pages.length * this.pageSize)
      .then((rows) => {
        if (generation !== this.generation) return;
        for (const page of pages) {
          const start = (page - firstPage) * this.pageSize;
          this.pages.set(page, rows.slice(start, start + this.pageSize));
          this.evict(page);
        }
        this.error = undefined;
      })
      .catch((error: unknown) => {
        if (generation === this.generation)
          this.error = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        if (generation !== this.generation) return;
        for (const page of pages) this.pending.delete(page);
        onLoad();
      });
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
