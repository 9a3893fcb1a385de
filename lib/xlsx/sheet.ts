import * as XLSX from '@e965/xlsx';
import type { RowPlace } from '../csv/parse';
import type { CsvValue } from '../csv/export';

/*
 * Excel workbooks (.xlsx), read and written with SheetJS (`@e965/xlsx`, Apache-2.0). This module is the lazily
 * imported chunk: only `await import('@/lib/xlsx/sheet')` reaches it, when a manager picks an .xlsx or asks for an
 * .xlsx export, so the page bundles never carry the library.
 *
 * Reading gives what the CSV parser gives (lib/csv/parse.ts): rows of text cells with the row's place, the header row
 * first, so the mapping, validation and dry run take them unchanged. Places are the row numbers Excel shows (1-based).
 *
 * IDs must survive Excel. A text cell is read as its text (leading zeros kept). A number cell holding a whole number
 * is read as its exact digits while it is a safe integer (below 2^53); above that the value Excel stored is already
 * rounded, so the cell's column is listed in the row's `unsafe` columns and validation reports the row
 * (`xlsx_unsafe_number`) instead of sending a wrong ID. Dates, booleans, errors and formulas read as the text Excel
 * displays (a formula's cached result).
 */

/** A parsed workbook: the handle CsvSource keeps between the sheet picker and the run. */
export interface XlsxBook {
  sheets: string[];
  /** @internal */
  wb: XLSX.WorkBook;
}

/** Reads a workbook's bytes. Throws a plain Error (`xlsx_unreadable`) when they are not a workbook. */
export function readBook(data: ArrayBuffer | Uint8Array): XlsxBook {
  const head = new Uint8Array(
    data instanceof Uint8Array ? data.buffer : data,
    data instanceof Uint8Array ? data.byteOffset : 0,
    4,
  );
  // An .xlsx is a zip; SheetJS would read any other bytes as a text table, so those are refused here.
  if (head.length < 4 || head[0] !== 0x50 || head[1] !== 0x4b || head[2] !== 0x03 || head[3] !== 0x04)
    throw new Error('xlsx_unreadable');
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(data, { type: 'array', dense: true, cellNF: true, cellText: true, cellDates: false });
  } catch {
    throw new Error('xlsx_unreadable');
  }
  return { sheets: [...wb.SheetNames], wb };
}

/** A sheet's rows as text, its first row being the header (title rows above it left out). */
export interface SheetRows {
  rows: string[][];
  places: RowPlace[];
  /** 0-based index (in the sheet) of the header row, -1 when the sheet is empty. */
  headerRow: number;
}

/** 2^53: whole numbers from here on are no longer exact in a spreadsheet cell. */
function cellText(cell: XLSX.CellObject | undefined): { text: string; unsafe?: boolean } {
  if (!cell) return { text: '' };
  switch (cell.t) {
    case 's':
      return { text: String(cell.v ?? '') };
    case 'n': {
      const v = cell.v as number;
      const format = typeof cell.z === 'string' ? cell.z : 'General';
      if (format !== 'General' && XLSX.SSF.is_date(format)) return { text: cell.w ?? String(v) };
      if (Number.isInteger(v)) {
        if (!Number.isSafeInteger(v)) return { text: cell.w ?? String(v), unsafe: true };
        const digits = String(Math.abs(v));
        // A zero-padded number format ("000000") shows the padded digits: keep them.
        const shown = cell.w?.trim();
        if (shown && /^\d+$/.test(shown) && shown.length > digits.length && BigInt(shown) === BigInt(Math.abs(v)))
          return { text: (v < 0 ? '-' : '') + shown };
        return { text: String(v) };
      }
      // Excel keeps 15 significant digits; this is the number as Excel holds it, without binary noise.
      return { text: String(Number(v.toPrecision(15))) };
    }
    case 'b':
      return { text: cell.v ? 'TRUE' : 'FALSE' };
    case 'd':
      return { text: cell.w ?? String(cell.v) };
    case 'e':
      return { text: cell.w ?? '#ERROR' };
    default:
      return { text: cell.w ?? '' };
  }
}

/** How many rows at the top are looked at for a header row below a title. */
const HEADER_SCAN = 20;
/** A cell that reads as an ID or a phone number, not a header name. */
const ID_LIKE = /^\+?\d[\d\s-]*$/;

/**
 * Reads one sheet. Merged cells are spread over the cells they cover (a merged header names each column it spans:
 * "연락처", "연락처 (2)"; a header merged over two rows names its sub-columns "고객정보 이름"). The header row is the
 * first of the top rows that has at least half the sheet's columns (and two, when it has two) filled; text above it
 * (a title) is left out, unless it holds an ID. Blank rows are left out, as in a CSV.
 */
export function sheetRows(book: XlsxBook, sheet: string): SheetRows {
  let sheets = cache.get(book);
  if (!sheets) cache.set(book, (sheets = new Map()));
  let out = sheets.get(sheet);
  if (!out) sheets.set(sheet, (out = readSheet(book, sheet)));
  return out;
}

/** Each book's read sheets: the preview and the run read a sheet once. */
const cache = new WeakMap<XlsxBook, Map<string, SheetRows>>();

function readSheet(book: XlsxBook, sheet: string): SheetRows {
  const ws = book.wb.Sheets[sheet];
  if (!ws) throw new Error('xlsx_no_sheet');
  const data = (ws['!data'] ?? []) as (XLSX.CellObject[] | undefined)[];
  const range = ws['!ref'] ? XLSX.utils.decode_range(ws['!ref']) : null;
  const width = range ? range.e.c + 1 : 0;
  const texts: string[][] = [];
  const unsafe: (number[] | undefined)[] = [];
  for (let r = 0; r < data.length; r++) {
    const cells = data[r];
    const row: string[] = new Array<string>(width).fill('');
    let bad: number[] | undefined;
    if (cells)
      for (let c = 0; c < cells.length && c < width; c++) {
        const t = cellText(cells[c]);
        row[c] = t.text;
        if (t.unsafe) (bad ??= []).push(c);
      }
    texts.push(row);
    unsafe.push(bad);
  }
  const filled = (row: readonly string[]) => row.reduce((n, c) => n + (c.trim() ? 1 : 0), 0);
  // Cells filled in the file itself, before merges are spread: a title merged across the sheet is still one cell.
  const own = texts.slice(0, HEADER_SCAN).map(filled);
  // Spread merged cells: every covered cell shows the top-left cell's text, as the manager sees it.
  const merges = ws['!merges'] ?? [];
  for (const m of merges) {
    const text = texts[m.s.r]?.[m.s.c] ?? '';
    const isUnsafe = unsafe[m.s.r]?.includes(m.s.c) ?? false;
    for (let r = m.s.r; r <= m.e.r && r < texts.length; r++)
      for (let c = m.s.c; c <= m.e.c && c < width; c++) {
        if (r === m.s.r && c === m.s.c) continue;
        texts[r]![c] = text;
        if (isUnsafe) (unsafe[r] ??= []).push(c);
      }
  }

  const top = texts.slice(0, HEADER_SCAN);
  const widest = Math.max(0, ...own);
  // A header fills at least half the columns, and at least two when the sheet has two: a one-cell title does not.
  const least = Math.max(Math.min(2, widest), Math.ceil(widest / 2));
  let headerRow = own.findIndex((n) => n > 0 && n >= least);
  const firstFilled = texts.findIndex((row) => filled(row) > 0);
  // Rows above the header are a title only when they hold no ID: a sparse first data row stays data.
  if (headerRow > firstFilled && top.slice(0, headerRow).some((row) => row.some((c) => ID_LIKE.test(c.trim()))))
    headerRow = firstFilled;
  if (headerRow < 0) headerRow = firstFilled;
  if (headerRow < 0) return { rows: [], places: [], headerRow: -1 };

  // A header merged over several rows: its sub-rows belong to the header.
  let headerEnd = headerRow;
  for (const m of merges) if (m.s.r === headerRow && m.e.r > headerEnd) headerEnd = Math.min(m.e.r, headerRow + 4);
  const header = texts[headerRow]!.map((_, c) => {
    const parts: string[] = [];
    for (let r = headerRow; r <= headerEnd; r++) {
      const t = (texts[r]?.[c] ?? '').trim();
      if (t && !parts.includes(t)) parts.push(t);
    }
    return parts.join(' ');
  });
  const seen = new Map<string, number>();
  const names = header.map((h) => {
    if (!h) return h;
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return n === 1 ? h : `${h} (${n})`;
  });
  // Trailing empty columns (formatting only) are left out.
  let used = 0;
  for (let r = headerRow; r < texts.length; r++) {
    const row = texts[r]!;
    for (let c = row.length - 1; c >= used; c--)
      if (row[c]!.trim()) {
        used = c + 1;
        break;
      }
  }
  const rows: string[][] = [names.slice(0, used)];
  const places: RowPlace[] = [{ line: headerRow + 1 }];
  for (let r = headerEnd + 1; r < texts.length; r++) {
    const row = texts[r]!;
    if (filled(row) === 0) continue;
    rows.push(row.slice(0, used));
    const bad = unsafe[r]?.filter((c) => c < used);
    places.push(bad && bad.length > 0 ? { line: r + 1, unsafe: bad } : { line: r + 1 });
  }
  return { rows, places, headerRow };
}

/** A sheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ]. */
function safeSheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet1';
}

/**
 * Writes one sheet as an .xlsx. ID cells (`asText`, lib/csv/export.ts) are text cells with the text number format
 * ('@'), so Excel shows every digit and keeps them text when the file is saved again; other strings are text cells
 * too (a leading "=" is never a formula); numbers stay numbers.
 */
export function xlsxBlob(header: readonly string[], rows: Iterable<readonly CsvValue[]>, sheetName = 'Sheet1'): Blob {
  const data: XLSX.CellObject[][] = [header.map((h) => ({ t: 's', v: h }))];
  let width = header.length;
  for (const row of rows) {
    const cells: XLSX.CellObject[] = row.map((value): XLSX.CellObject => {
      if (typeof value === 'object' && value !== null) return { t: 's', v: value.text, z: '@' };
      if (typeof value === 'number') return { t: 'n', v: value };
      if (value === null || value === undefined || value === '') return { t: 'z' };
      return { t: 's', v: value };
    });
    width = Math.max(width, cells.length);
    data.push(cells);
  }
  const ws: XLSX.WorkSheet = {
    '!data': data,
    '!ref': XLSX.utils.encode_range({
      s: { r: 0, c: 0 },
      e: { r: Math.max(0, data.length - 1), c: Math.max(0, width - 1) },
    }),
  };
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, safeSheetName(sheetName));
  const out = XLSX.write(wb, { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer;
  return new Blob([out], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}
