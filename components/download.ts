import { csvBlob, type CsvValue } from '@/lib/csv/export';

/** Saves a blob as a file through a temporary link (no downloads permission needed on extension pages). */
export function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function stamp(ms = Date.now()): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

/** The two table formats a download is offered in. */
export type TableFormat = 'csv' | 'xlsx';

/**
 * A table as a CSV (lib/csv/export.ts) or an Excel workbook (lib/xlsx/sheet.ts, imported only when asked for: the
 * SheetJS chunk never loads with the page). ID cells (`asText`) stay text either way.
 */
export async function tableBlob(
  format: TableFormat,
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  sheetName?: string,
): Promise<Blob> {
  if (format === 'csv') return csvBlob(header, rows);
  const { xlsxBlob } = await import('@/lib/xlsx/sheet');
  return xlsxBlob(header, rows, sheetName);
}
