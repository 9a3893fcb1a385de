/*
 * CSV export. UTF-8 with a BOM so Korean Excel opens it as UTF-8, CRLF line ends
 * (Excel's own), and cells that start with = + - @ (also after leading
 * spaces), or with a tab/CR/LF (which Excel also reads as a formula start) get a leading apostrophe so a
 * spreadsheet shows them as text instead of running them (formula injection).
 * Exports only ever hold IDs, relations, counts and messages: never the key.
 */
export const CSV_BOM = '\uFEFF';

export function neutralise(cell: string): string {
  return /^[\t\r\n]|^\s*[=+\-@]/.test(cell) ? `'${cell}` : cell;
}

export function csvCell(value: string | number | null | undefined): string {
  const text = neutralise(value === null || value === undefined ? '' : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Builds the file in parts (no giant string for 100,000 rows). */
export function csvBlob(header: readonly string[], rows: Iterable<readonly (string | number | null | undefined)[]>): Blob {
  const parts: string[] = [CSV_BOM + csvLine(header)];
  let buffer = '';
  for (const row of rows) {
    buffer += csvLine(row);
    if (buffer.length > 256 * 1024) {
      parts.push(buffer);
      buffer = '';
    }
  }
  parts.push(buffer);
  return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}
