import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SavedSearch } from '../contract';

/** Named searches in `<config>/explore-searches.json`, written atomically; shared by the app, browser and CLI. */
export class SavedSearches {
  private readonly file: string;

  constructor(private readonly configDir: string) {
    this.file = join(configDir, 'explore-searches.json');
  }

  list(): SavedSearch[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const parsed = z.array(SavedSearch).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  }

  save(search: SavedSearch): SavedSearch[] {
    const next = [...this.list().filter((s) => s.name !== search.name), search].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    this.write(next);
    return next;
  }

  remove(name: string): SavedSearch[] {
    const next = this.list().filter((s) => s.name !== name);
    this.write(next);
    return next;
  }

  private write(searches: SavedSearch[]): void {
    mkdirSync(this.configDir, { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify(searches, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
