/**
 * Browsers cap an element's height (Chromium at about 33.5 million px), so 5 million rows of 28 px cannot be laid
 * out at their true height. The grid keeps a real scroll area of at most MAX_SCROLL_PX and maps its scroll
 * position linearly onto the virtual one: the top is row 0, the bottom is the last row, and row arithmetic stays
 * exact. Below the cap the mapping is the identity.
 */
export const MAX_SCROLL_PX = 8_000_000;

export interface ScrollGeometry {
  /** Height of all rows at their real size. */
  virtualHeight: number;
  /** Height the scroll area actually gets. */
  realHeight: number;
  viewport: number;
}

export function geometry(rowCount: number, rowHeight: number, viewport: number): ScrollGeometry {
  const virtualHeight = rowCount * rowHeight;
  return { virtualHeight, realHeight: Math.min(virtualHeight, MAX_SCROLL_PX), viewport };
}

export function realToVirtual(scrollTop: number, g: ScrollGeometry): number {
  if (g.realHeight === g.virtualHeight) return scrollTop;
  const realRange = g.realHeight - g.viewport;
  if (realRange <= 0) return 0;
  return (Math.min(Math.max(scrollTop, 0), realRange) / realRange) * (g.virtualHeight - g.viewport);
}

export function virtualToReal(offset: number, g: ScrollGeometry): number {
  if (g.realHeight === g.virtualHeight) return offset;
  const virtualRange = g.virtualHeight - g.viewport;
  if (virtualRange <= 0) return 0;
  return (Math.min(Math.max(offset, 0), virtualRange) / virtualRange) * (g.realHeight - g.viewport);
}
