/** A rectangular selection of cells, from an anchor (where the click started) to a focus (where it ended). */
export interface CellRef {
  row: number;
  col: number;
}

export interface Selection {
  anchor: CellRef;
  focus: CellRef;
}

export function bounds(selection: Selection) {
  return {
    top: Math.min(selection.anchor.row, selection.focus.row),
    bottom: Math.max(selection.anchor.row, selection.focus.row),
    left: Math.min(selection.anchor.col, selection.focus.col),
    right: Math.max(selection.anchor.col, selection.focus.col),
  };
}

export function contains(selection: Selection | undefined, row: number, col: number): boolean {
  if (!selection) return false;
  const b = bounds(selection);
  return row >= b.top && row <= b.bottom && col >= b.left && col <= b.right;
}

/** Rows selected whole (a click on the row number selects every column). */
export function rowSelection(row: number, columns: number): Selection {
  return { anchor: { row, col: 0 }, focus: { row, col: Math.max(columns - 1, 0) } };
}
