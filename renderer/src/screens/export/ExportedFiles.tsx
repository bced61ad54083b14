import type { ExportedFile } from '../../../../pipeline/contract';
import { formatBytes } from '../../lib/format';

/** The files an export wrote, with their sizes. */
export function ExportedFiles({ outDir, files }: { outDir: string; files: ExportedFile[] }) {
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  return (
    <section className="export-card" aria-label="Files written">
      <h2>
        {files.length} files written <span className="muted">({formatBytes(total)})</span>
      </h2>
      <p className="muted export-path">{outDir}</p>
      <table className="export-tables">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Table</th>
            <th scope="col" className="num">
              Size
            </th>
          </tr>
        </thead>
        <tbody>
          {files.map((f) => (
            <tr key={f.path}>
              <td className="export-path">{f.path.slice(outDir.length).replace(/^[\\/]/, '')}</td>
              <td>{f.table}</td>
              <td className="num">{formatBytes(f.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
