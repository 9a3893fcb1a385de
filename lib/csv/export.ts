/*
 * CSV export. UTF-8 with a BOM so Korean Excel opens it as UTF-8, CRLF line ends
 * (Excel's own), and cells that start with = + - @ (also after leading
 * spaces), or with a tab/CR/LF (which Excel also reads as a formula start) get a leading apostrophe so a
 * spreadsheet shows them as text instead of running them (formula injection).
 * Exports only ever hold IDs, relations, counts and messages: never the key.
 *
 * Long IDs as text. Excel reads a bare 19-digit cell as a number and shows
 * 1.23457E+18, losing digits when the file is saved. ID cells (asText) are written
 * as ="4018203344" (CSV-quoted: "=""4018203344"""): Korean and English Excel, and
 * Google Sheets, open that as the text 4018203344 with every digit. A leading
 * apostrophe is shown literally by Excel's CSV import, and a leading tab survives
 * into the cell, so neither is used. Only digit-only values get the wrapper (so it
 * can never carry a formula); parse.ts strips it again (unwrapExcelText), so
 * Channel Desk reads its own export back as plain IDs.
 *
 * Times are written in the browser's time zone with the offset
 * ("2024-05-02 10:02:03 +09:00"), which Excel shows as written and which says
 * which zone it is; relations as the UI language's words, with the code
 * (ADDED/BLOCKED/NONE/UNKNOWN) in its own relation_code column.
 */
export const CSV_BOM = '\uFEFF';

export function neutralise(cell: string): string {
  return /^[\t\r\n]|^\s*[=+\-@]/.test(cell) ? `'${cell}` : cell;
}

/** A cell Excel must keep as text (user IDs): see above. */
export interface TextCell {
  text: string;
}
export const asText = (text: string): TextCell => ({ text });
export type CsvValue = string | number | null | undefined | TextCell;

export function csvCell(value: CsvValue): string {
  if (typeof value === 'object' && value !== null) {
    if (/^\d+$/.test(value.text)) return `"=""${value.text}"""`;
    value = value.text;
  }
  const text = neutralise(value === null || value === undefined ? '' : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly CsvValue[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Builds the file in parts (no giant string for 100,000 rows). */
export function csvBlob(header: readonly string[], rows: Iterable<readonly CsvValue[]>): Blob {
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

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An ISO time in the browser's time zone with its offset: "2024-05-02 10:02:03 +09:00"; '' when absent, the input when
 * unreadable.
 */
export function exportTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** What a bulk-check export says, in the UI language. */
export interface CheckExportWords {
  userId: string;
  /** The relation word for a code (ADDED → "친구" / "Friend (added)"). */
  relation: (code: string) => string;
  /** Column headers for a channel. */
  relationHeader: (channelId: string) => string;
  codeHeader: (channelId: string) => string;
  changedAtHeader: (channelId: string) => string;
}

/**
 * The bulk-check export's header and rows: the ID as text, then per channel the
 * relation word, its code, and the change time. `rows` are CheckRows
 * ([id, relation, time, relation, time, …] in `channelIds` order).
 */
export function checkExportTable(
  channelIds: readonly string[],
  rows: Iterable<readonly string[]>,
  words: CheckExportWords,
): { header: string[]; rows: Iterable<CsvValue[]> } {
  const header = [
    words.userId,
    ...channelIds.flatMap((c) => [words.relationHeader(c), words.codeHeader(c), words.changedAtHeader(c)]),
  ];
  function* out(): Generator<CsvValue[]> {
    for (const row of rows) {
      const cells: CsvValue[] = [asText(row[0] ?? '')];
      channelIds.forEach((_, i) => {
        const code = row[1 + i * 2] ?? '';
        cells.push(code ? words.relation(code) : '', code, exportTime(row[2 + i * 2]));
      });
      yield cells;
    }
  }
  return { header, rows: out() };
}
