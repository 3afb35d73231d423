/** Input checks shared by the statistics functions (internal: not exported from the package). */

/** Throw a RangeError unless `values` is a non-empty array of finite numbers. */
export function requireFinite(values: readonly number[], what: string, minLength = 1): void {
  if (!Array.isArray(values)) throw new RangeError(`${what}: expected an array of numbers`);
  if (values.length < minLength) {
    throw new RangeError(`${what}: needs at least ${minLength} value${minLength === 1 ? '' : 's'}, got ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${what}: value at index ${i} is not a finite number (${String(v)})`);
  }
}

/**
 * Throw a RangeError unless `rows` is a rectangular matrix of finite numbers
 * with at least `minRows` rows and `minCols` columns; returns the column count.
 */
export function requireMatrix(rows: readonly (readonly number[])[], what: string, minRows: number, minCols: number): number {
  if (!Array.isArray(rows)) throw new RangeError(`${what}: expected an array of rows`);
  if (rows.length < minRows) throw new RangeError(`${what}: needs at least ${minRows} rows, got ${rows.length}`);
  const cols = rows[0]?.length ?? 0;
  if (cols < minCols) throw new RangeError(`${what}: needs at least ${minCols} columns, got ${cols}`);
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw new RangeError(`${what}: row ${i} has ${Array.isArray(row) ? row.length : 'no'} values, expected ${cols} (ragged rows)`);
    }
    requireFinite(row, `${what}, row ${i}`);
  });
  return cols;
}
