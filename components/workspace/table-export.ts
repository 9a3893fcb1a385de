import { csvBlob, type CsvValue } from '@/lib/csv/export';

/** The two table formats a download is offered in. */
export type TableFormat = 'csv' | 'xlsx';

/**
 * A table as a CSV (lib/csv/export.ts) or an Excel workbook (written in a worker, lib/xlsx/client.ts, imported only
 * when asked for: SheetJS never loads with the page). ID cells (`asText`) stay text either way.
 */
export async function tableBlob(
  format: TableFormat,
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  sheetName?: string,
): Promise<Blob> {
  if (format === 'csv') return csvBlob(header, rows);
  const { writeWorkbook } = await import('@/lib/xlsx/client');
  return writeWorkbook(header, rows, sheetName);
}
