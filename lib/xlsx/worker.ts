import type { CsvValue } from '../csv/export';
import { readBook, sheetRows, xlsxBlob, type XlsxBook } from './sheet';

/*
 * Reads a workbook off the page's thread (lib/xlsx/client.ts starts it): parsing a 100,000-row sheet takes seconds,
 * and the page stays responsive meanwhile. One worker holds one workbook. Exports are written here too (a 100,000-row
 * workbook takes seconds to zip).
 */

type Request =
  | { id: number; open: ArrayBuffer }
  | { id: number; sheet: string }
  | { id: number; write: { header: string[]; rows: CsvValue[][]; sheetName?: string } };

let book: XlsxBook | null = null;

self.onmessage = (event: MessageEvent<Request>) => {
  const msg = event.data;
  try {
    if ('write' in msg) {
      const { header, rows, sheetName } = msg.write;
      void xlsxBlob(header, rows, sheetName)
        .arrayBuffer()
        .then((bytes) => self.postMessage({ id: msg.id, bytes }, { transfer: [bytes] }));
    } else if ('open' in msg) {
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
