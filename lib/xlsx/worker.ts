import { readBook, sheetRows, type XlsxBook } from './sheet';

/*
 * Reads a workbook off the page's thread (lib/xlsx/client.ts starts it): parsing a 100,000-row sheet takes seconds,
 * and the page stays responsive meanwhile. One worker holds one workbook.
 */

type Request = { id: number; open: ArrayBuffer } | { id: number; sheet: string };

let book: XlsxBook | null = null;

self.onmessage = (event: MessageEvent<Request>) => {
  const msg = event.data;
  try {
    if ('open' in msg) {
      book = readBook(msg.open);
      self.postMessage({ id: msg.id, sheets: book.sheets });
    } else {
      if (!book) throw new Error('xlsx_unreadable');
      self.postMessage({ id: msg.id, rows: sheetRows(book, msg.sheet) });
    }
  } catch (err) {
    self.postMessage({ id: msg.id, error: err instanceof Error ? err.message : 'xlsx_unreadable' });
  }
};
