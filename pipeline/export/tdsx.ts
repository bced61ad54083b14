import { Zip, ZipDeflate } from 'fflate';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Where a .tdsx keeps a table's CSV; its .tds points there with a relative directory. */
export const tdsxDataDir = (table: string) => `Data/${table}`;

/**
 * A packaged Tableau data source: a zip holding the .tds at its root and the CSV under Data/<table>/.
 * The CSV is streamed through the compressor, so a large table never sits in memory whole.
 */
export async function writeTdsx(
  path: string,
  entries: { tdsName: string; tds: string; csvName: string; csvPath: string; table: string },
): Promise<void> {
  const out = createWriteStream(path);
  const finished = new Promise<void>((resolve, reject) => {
    const zip = new Zip((error, chunk, final) => {
      if (error) return reject(error);
      out.write(chunk);
      if (final) out.end(() => resolve());
    });
    const tds = new ZipDeflate(entries.tdsName, { level: 6 });
    zip.add(tds);
    tds.push(new TextEncoder().encode(entries.tds), true);
    const csv = new ZipDeflate(`${tdsxDataDir(entries.table)}/${entries.csvName}`, { level: 6 });
    zip.add(csv);
    const input = createReadStream(entries.csvPath);
    input.on('data', (chunk) => csv.push(chunk as Buffer));
    input.on('error', reject);
    input.on('end', () => {
      csv.push(new Uint8Array(0), true);
      zip.end();
    });
  });
  const failed = once(out, 'error').then(([error]) => Promise.reject(error as Error));
  await Promise.race([finished, failed]);
}
