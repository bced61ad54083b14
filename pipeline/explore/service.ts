import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  DataQuality,
  ExploreSearch,
  Journey,
  LineageRows,
  RecordLineage,
  RowsPage,
  SavedSearch,
  SearchResult,
} from '../contract';
import { dataQuality, dqRows, type DlqReader } from './data-quality';
import type { DlqResender } from './dlq-resend';
import { journey } from './journey';
import { LakeReader } from './lake-reader';
import { lineageRows, recordLineage } from './lineage';
import { SavedSearches } from './saved-searches';
import { pageOf, search } from './search';
import { replayedFiles } from './source-line';
import { refreshUserIndex } from './user-index';

export interface ExploreOptions {
  lakeDir: () => Promise<string>;
  configDir: string;
  /** Folders whose files may be sources (the bundled sample, generated datasets). */
  sourceDirs?: string[];
  /** Extra source files (the CLI's --source). */
  sourceFiles?: string[];
  readDlq?: DlqReader;
  /** Re-sends fixed dead letters (needs a broker: the app's, not the CLI's). */
  resender?: DlqResender;
  /**
   * Brings the journeys' user index up to date in the background after a search or a drill (the app's
   * screens lead there), so the journey itself rarely indexes. Off for the one-shot CLI.
   */
  warmUserIndex?: boolean;
}

/** Explore, journeys, lineage and data quality: the one implementation the app, the browser and the CLI call. */
export class ExploreService {
  private readonly reader: LakeReader;
  private readonly saved: SavedSearches;
  private warming: Promise<unknown> | undefined;
  private disposed = false;

  constructor(private readonly options: ExploreOptions) {
    this.reader = new LakeReader(options.lakeDir);
    this.saved = new SavedSearches(options.configDir);
  }

  async search(request: ExploreSearch & { limit: number }): Promise<SearchResult> {
    const lake = await this.options.lakeDir();
    const result = await this.reader.with((db) => search(db, lake, request));
    this.warm(lake);
    return result;
  }

  async page(
    request: ExploreSearch & { offset: number; limit: number },
  ): Promise<RowsPage & { total: number }> {
    const lake = await this.options.lakeDir();
    return this.reader.with((db) => pageOf(db, lake, request));
  }

  searches(): SavedSearch[] {
    return this.saved.list();
  }

  saveSearch(search: SavedSearch): SavedSearch[] {
    return this.saved.save(search);
  }

  deleteSearch(name: string): SavedSearch[] {
    return this.saved.remove(name);
  }

  async journey(request: Parameters<typeof journey>[2]): Promise<Journey> {
    const lake = await this.options.lakeDir();
    return this.reader.with((db) => journey(db, lake, request, (work) => this.reader.with(work)));
  }

  async lineage(request: Parameters<typeof lineageRows>[2]): Promise<LineageRows> {
    const lake = await this.options.lakeDir();
    const result = await this.reader.with((db) => lineageRows(db, lake, request));
    this.warm(lake);
    return result;
  }

  async record(at: { topic: string; partition: number; offset: number }): Promise<RecordLineage> {
    const lake = await this.options.lakeDir();
    return this.reader.with((db) => recordLineage(db, lake, at, this.sourceCandidates()));
  }

  async dataQuality(range: { from?: string | undefined; to?: string | undefined }): Promise<DataQuality> {
    const lake = await this.options.lakeDir();
    return this.reader.with((db) => dataQuality(db, lake, this.dlq(), range));
  }

  async dqRows(request: Parameters<typeof dqRows>[3]): Promise<RowsPage> {
    const lake = await this.options.lakeDir();
    return this.reader.with((db) => dqRows(db, lake, this.dlq(), request));
  }

  resend(offset: number, event: Record<string, unknown>, topic: string) {
    if (!this.options.resender) throw new Error('Re-sending needs the app’s broker.');
    return this.options.resender.resend(offset, event, topic);
  }

  dispose(): void {
    this.disposed = true;
    // A refresh still running finishes (it writes whole files only) before its DuckDB closes.
    const warming = this.warming;
    if (warming) void warming.finally(() => this.reader.dispose());
    else this.reader.dispose();
  }

  private warm(lake: string): void {
    // Not after dispose: a search answered while the Workbench closed would open a DuckDB nobody closes.
    if (!this.options.warmUserIndex || this.warming || this.disposed) return;
    this.warming = this.reader
      .with((db) => refreshUserIndex(db, lake))
      // A failure here is the journey's to report, when it indexes what is still missing.
      .catch(() => undefined)
      .finally(() => {
        this.warming = undefined;
      });
  }

  private dlq(): DlqReader {
    return (
      this.options.readDlq ??
      (() => Promise.reject(new Error('no broker here: start one to read the dead-letter topic.')))
    );
  }

  private sourceCandidates(): string[] {
    const inDirs = (this.options.sourceDirs ?? []).flatMap((dir) =>
      existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [],
    );
    return [...(this.options.sourceFiles ?? []), ...replayedFiles(this.options.configDir), ...inDirs];
  }
}
