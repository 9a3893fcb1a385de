import Papa from 'papaparse';
import { decodeSlices, type CsvEncoding } from './decode';

/*
 * Streaming CSV parsing with papaparse. Papa's own File reader decodes each slice
 * separately (a Korean character cut at a slice edge turns into garbage), so the
 * bytes are decoded here with one streaming decoder and handed to Papa through its
 * readable-stream input, one decoded slice at a time: the whole file never
 * exists as one string.
 */

/** A minimal readable stream, enough for Papa's ReadableStreamStreamer. */
function textStream(pieces: AsyncIterable<string>) {
  const listeners: Record<string, ((arg?: unknown) => void)[]> = { data: [], end: [], error: [] };
  const emit = (event: string, arg?: unknown) => [...(listeners[event] ?? [])].forEach((cb) => cb(arg));
  let paused = false;
  let wake: (() => void) | null = null;
  const stream = {
    readable: true as const,
    read() {},
    on(event: string, cb: (arg?: unknown) => void) {
      (listeners[event] ??= []).push(cb);
      return stream;
    },
    removeListener(event: string, cb: (arg?: unknown) => void) {
      listeners[event] = (listeners[event] ?? []).filter((x) => x !== cb);
      return stream;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      wake?.();
    },
  };
  void (async () => {
    try {
      for await (const piece of pieces) {
        while (paused) await new Promise<void>((r) => (wake = r));
        emit('data', piece);
      }
      emit('end');
    } catch (err) {
      emit('error', err);
    }
  })();
  return stream;
}

/**
 * Where a row is in the manager's file or paste: `line` is the physical line it
 * starts on (1 = the first line, the header included; blank lines and the extra
 * lines of a multi-line quoted cell count), `position` the 1-based place of a
 * value on a pasted line that held several IDs.
 */
export interface RowPlace {
  line: number;
  position?: number;
  /**
   * Columns (0-based) whose cell was an Excel number too large to be exact (above 2^53): its digits are already lost
   * (lib/xlsx/sheet.ts). Validation rejects such a cell where an ID or a field is read from it.
   */
  unsafe?: readonly number[];
}

export type NumberedRowsCallback = (rows: string[][], places: RowPlace[]) => void;

/** Line breaks inside a row's cells (a quoted cell can span lines). */
function breaksIn(cells: readonly string[]): number {
  let n = 0;
  for (const cell of cells) {
    if (cell.length === 0 || (!cell.includes('\n') && !cell.includes('\r'))) continue;
    n += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return n;
}

/** A row with nothing in it (an empty line, or only separators/spaces): skipped, as papaparse's 'greedy' did. */
const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/**
 * `="4018203344"` is how Channel Desk's own exports keep long IDs as text in Excel
 * (see export.ts); reading such a file back gets the bare value.
 */
export function unwrapExcelText(cell: string): string {
  const m = /^="([^"]*)"$/.exec(cell);
  return m ? m[1]! : cell;
}

/**
 * Turns papaparse's rows (blank lines kept) into the non-blank rows with the
 * line each starts on. `state.line` carries the count across chunks.
 */
function numberRows(data: string[][], state: { line: number }, onRows: NumberedRowsCallback) {
  const rows: string[][] = [];
  const places: RowPlace[] = [];
  for (const cells of data) {
    const line = state.line;
    state.line += 1 + breaksIn(cells);
    if (isBlank(cells)) continue;
    rows.push(cells.map(unwrapExcelText));
    places.push({ line });
  }
  if (rows.length > 0) onRows(rows, places);
}

/** The file's line break, from its first 64 KiB: "\r\n" (Excel), "\n" or "\r". */
async function sniffNewline(blob: Blob, encoding: CsvEncoding): Promise<'\r\n' | '\n' | '\r'> {
  const head = new TextDecoder(encoding).decode(new Uint8Array(await blob.slice(0, 64 * 1024).arrayBuffer()), {
    stream: true,
  });
  const at = head.search(/[\r\n]/);
  if (at < 0 || head[at] === '\n') return '\n';
  return head[at + 1] === '\n' || at + 1 === head.length ? '\r\n' : '\r';
}

/**
 * Parses a CSV file in a stream: `onRows` gets every non-blank row (header row
 * included, in file order), a chunk at a time, with the line each row starts on.
 * The line break is found first: papaparse guesses it from its first chunk only,
 * and a chunk without one made it keep "\r" in every cell of a CRLF file.
 */
export async function streamCsv(
  blob: Blob,
  encoding: CsvEncoding,
  onRows: NumberedRowsCallback,
  sliceBytes?: number,
): Promise<{ rows: number }> {
  const newline = await sniffNewline(blob, encoding);
  return new Promise((resolve, reject) => {
    let count = 0;
    const state = { line: 1 };
    Papa.parse<string[]>(textStream(decodeSlices(blob, encoding, sliceBytes)) as unknown as File, {
      header: false,
      newline,
      skipEmptyLines: false,
      chunk(result) {
        numberRows(result.data, state, (rows, places) => {
          count += rows.length;
          onRows(rows, places);
        });
      },
      complete: () => resolve({ rows: count }),
      error: (err: Error) => reject(err),
    });
  });
}

/** Parses pasted text (already in memory) with the line each row starts on. */
export function parseCsvTextNumbered(text: string): { rows: string[][]; places: RowPlace[] } {
  const out = { rows: [] as string[][], places: [] as RowPlace[] };
  const data = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: false }).data;
  numberRows(data, { line: 1 }, (rows, places) => {
    out.rows.push(...rows);
    out.places.push(...places);
  });
  return out;
}

/** Parses pasted text (already in memory): the non-blank rows. */
export function parseCsvText(text: string): string[][] {
  return parseCsvTextNumbered(text).rows;
}

/** The header and the first rows of a file, for the mapping step. */
export async function previewCsv(blob: Blob, encoding: CsvEncoding, rows = 5): Promise<string[][]> {
  const out: string[][] = [];
  let text = '';
  for await (const piece of decodeSlices(blob.slice(0, 256 * 1024), encoding)) text += piece;
  for (const row of parseCsvText(text)) {
    if (out.length > rows) break;
    out.push(row);
  }
  return out;
}
