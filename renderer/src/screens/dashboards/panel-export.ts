import type { DashboardRow } from '../../../../pipeline/contract';
import { downloadUrl } from '../../components/Chart';
import { rowsToCsv } from './csv-rows';

export function saveCsv(rows: DashboardRow[], name: string): void {
  const url = URL.createObjectURL(new Blob([rowsToCsv(rows)], { type: 'text/csv;charset=utf-8' }));
  downloadUrl(url, `${name}.csv`);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The chart's image under a header with the panel's title and the active filters, as one PNG. */
export async function savePanelPng(
  chartDataUrl: string,
  title: string,
  filterLines: string[],
  colours: { background: string; text: string; muted: string },
  name: string,
): Promise<void> {
  const image = new Image();
  image.src = chartDataUrl;
  await image.decode();
  const scale = 2;
  const pad = 16 * scale;
  const titleSize = 16 * scale;
  const lineSize = 12 * scale;
  const header = pad + titleSize + filterLines.length * (lineSize + 4 * scale) + pad / 2;
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height + header;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('This browser cannot draw a PNG (no 2D canvas).');
  g.fillStyle = colours.background;
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.textBaseline = 'top';
  g.fillStyle = colours.text;
  g.font = `600 ${titleSize}px system-ui, sans-serif`;
  g.fillText(title, pad, pad);
  g.fillStyle = colours.muted;
  g.font = `${lineSize}px system-ui, sans-serif`;
  filterLines.forEach((line, i) =>
    g.fillText(line, pad, pad + titleSize + 6 * scale + i * (lineSize + 4 * scale)),
  );
  g.drawImage(image, 0, header);
  downloadUrl(canvas.toDataURL('image/png'), `${name}.png`);
}
