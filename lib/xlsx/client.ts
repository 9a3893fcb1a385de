import type { CsvValue } from '../csv/export';
import type { SheetRows } from './sheet';

/*
 * The page's handle on a picked workbook. The workbook is parsed in a worker (lib/xlsx/worker.ts), so a large sheet
 * never freezes the page; where no worker can start (a test DOM), the same code runs in the page instead. Both load
 * SheetJS only here, when a workbook is picked.
 */

export interface Workbook {
  /** Sheet names in workbook order (Korean names as written). */
  sheets: string[];
  /** One sheet's rows as text, header first (lib/xlsx/sheet.ts `sheetRows`); read once per sheet. */
  rows(sheet: string): Promise<SheetRows>;
  /** Lets the worker go. */
  close(): void;
}

type Reply = { id: number; sheets?: string[]; rows?: SheetRows; bytes?: ArrayBuffer; error?: string };

/** A worker and a way to ask it things, one answer per question. */
function startWorker() {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  let next = 0;
  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.onmessage = (e: MessageEvent<Reply>) => {
    const w = waiting.get(e.data.id);
    waiting.delete(e.data.id);
    if (e.data.error) w?.reject(new Error(e.data.error));
    else w?.resolve(e.data);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    failAll(new Error('xlsx_worker_failed'));
  };
  const ask = (msg: object, transfer: Transferable[] = []) =>
    new Promise<Reply>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id }, transfer);
    });
  return { worker, ask };
}

function inWorker(data: ArrayBuffer): Promise<Workbook> {
  const { worker, ask } = startWorker();
  const cache = new Map<string, Promise<SheetRows>>();
  return ask({ open: data }, [data]).then(
    (r) => ({
      sheets: r.sheets ?? [],
      rows(sheet) {
        let rows = cache.get(sheet);
        if (!rows)
          cache.set(sheet, (rows = ask({ sheet }).then((x) => x.rows ?? { rows: [], places: [], headerRow: -1 })));
        return rows;
      },
      close: () => worker.terminate(),
    }),
    (err: Error) => {
      worker.terminate();
      throw err;
    },
  );
}

async function inPage(data: ArrayBuffer): Promise<Workbook> {
  const { readBook, sheetRows } = await import('./sheet');
  const book = readBook(data);
  return { sheets: book.sheets, rows: async (sheet) => sheetRows(book, sheet), close() {} };
}

/** Opens a workbook's bytes; rejects with `xlsx_unreadable` when they are not an .xlsx. */
export async function openWorkbook(file: Blob): Promise<Workbook> {
  if (typeof Worker !== 'undefined') {
    try {
      return await inWorker(await file.arrayBuffer());
    } catch (err) {
      if (err instanceof Error && err.message !== 'xlsx_worker_failed') throw err;
    }
  }
  return inPage(await file.arrayBuffer());
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Writes a table as an .xlsx (lib/xlsx/sheet.ts `xlsxBlob`) in a worker, or in the page where none can start. */
export async function writeWorkbook(
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  sheetName?: string,
): Promise<Blob> {
  const table = { header: [...header], rows: Array.from(rows, (r) => [...r]), sheetName };
  if (typeof Worker !== 'undefined') {
    const { worker, ask } = startWorker();
    try {
      const { bytes } = await ask({ write: table });
      return new Blob([bytes ?? new ArrayBuffer(0)], { type: XLSX_TYPE });
    } catch (err) {
      if (!(err instanceof Error) || err.message !== 'xlsx_worker_failed') throw err;
    } finally {
      worker.terminate();
    }
  }
  const { xlsxBlob } = await import('./sheet');
  return xlsxBlob(table.header, table.rows, sheetName);
}
