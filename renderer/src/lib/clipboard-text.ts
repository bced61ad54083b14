/** Turns a selection of grid cells into text for the clipboard. */

/**
 * RFC 4180 CSV. With guardFormulas (for files a spreadsheet may open), a cell beginning with =, +, -, @, tab
 * or CR gets a leading ' and quotes, per OWASP's CSV-injection guidance, as the lake's CSV exports do.
 */
export function toCsv(header: string[], rows: string[][], guardFormulas = false): string {
  const quote = (cell: string) => {
    if (guardFormulas && /^[=+\-@\t\r]/.test(cell)) return `"'${cell.replace(/"/g, '""')}"`;
    return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
  };
  return [header, ...rows].map((row) => row.map(quote).join(',')).join('\r\n');
}

export function toTsv(rows: string[][]): string {
  return rows.map((row) => row.map((cell) => cell.replace(/[\t\r\n]+/g, ' ')).join('\t')).join('\n');
}

export function toMarkdown(header: string[], rows: string[][]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}
