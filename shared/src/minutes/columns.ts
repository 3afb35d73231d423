/** What one column of a table would like, in the renderer's unit. */
export interface ColumnNeed {
  /** Its widest entry on one line, header included. */
  natural: number;
  /** Its widest entry once the header may wrap between words (a figure never wraps). */
  minimum: number;
  numeric: boolean;
}

/**
 * Widths for a table's columns, adding up to `total`. When everything fits, text
 * columns take the room to spare. When not, number columns shrink to their
 * minimum (headers wrap, figures do not) and text columns share the rest so that
 * a short one gets all it needs before a long one takes the remainder.
 */
export function fitColumns(columns: ColumnNeed[], total: number): number[] {
  const sum = columns.reduce((a, c) => a + c.natural, 0);
  const text = columns.map((_, i) => i).filter((i) => !columns[i]!.numeric);
  if (sum <= total) {
    const growing = text.length > 0 ? text : columns.map((_, i) => i);
    const base = growing.reduce((a, i) => a + columns[i]!.natural, 0);
    return columns.map((c, i) => (growing.includes(i) ? c.natural + (total - sum) * (base > 0 ? c.natural / base : 1 / growing.length) : c.natural));
  }
  const widths = columns.map((c) => (c.numeric ? c.minimum : 0));
  let remaining = total - widths.reduce((a, w) => a + w, 0);
  if (remaining <= 0 || text.length === 0) return scale(columns.map((c) => (c.numeric ? c.minimum : c.natural)), total);
  const open = [...text].sort((a, b) => columns[a]!.natural - columns[b]!.natural);
  while (open.length > 0) {
    const fair = remaining / open.length;
    const next = open[0]!;
    if (columns[next]!.natural > fair) {
      for (const i of open) widths[i] = fair;
      break;
    }
    widths[next] = columns[next]!.natural;
    remaining -= columns[next]!.natural;
    open.shift();
  }
  // Shrunk number columns can leave room even after every text column got its fill.
  return scale(widths, total);
}

function scale(widths: number[], total: number): number[] {
  const sum = widths.reduce((a, w) => a + w, 0);
  return widths.map((w) => (sum > 0 ? (w / sum) * total : total / widths.length));
}
