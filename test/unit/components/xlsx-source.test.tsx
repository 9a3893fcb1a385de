// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as XLSX from '@e965/xlsx';
import type { ValidationSummary } from '@/lib/csv/validate';
import { find, messagesAsKeys } from './dom';

/* Issue 12 (Excel): the file input takes .xlsx, a workbook with several sheets gets a sheet picker, and the dry-run
 * report downloads as .xlsx with the IDs as text cells. */

const saved: { blob: Blob; name: string }[] = [];
vi.mock('@/components/download', () => ({
  saveBlob: (blob: Blob, name: string) => saved.push({ blob, name }),
  stamp: () => 'STAMP',
}));
const { CsvSource, readRows } = await import('@/components/workspace/CsvSource');
const { DryRunReport } = await import('@/components/workspace/UsersImport');
type CsvInput = Parameters<typeof readRows>[0];

beforeEach(() => messagesAsKeys());
afterEach(() => {
  cleanup();
  saved.length = 0;
});

function workbookFile(name: string): File {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['합계', 2]]), '요약');
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet([['고객 명단'], ['회원번호', '이름'], [4018203344, '김하나'], [2 ** 53 + 2, '이둘']]),
    '고객목록',
  );
  const bytes = XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer;
  return new File([bytes], name, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

function pickFile(input: HTMLInputElement, file: File) {
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  fireEvent.change(input);
}

describe('CsvSource with an Excel workbook', () => {
  it('accepts .xlsx, offers a labelled sheet picker, and hands on the chosen sheet from its header row', async () => {
    const changes: { input: CsvInput | null; rows: string[][] }[] = [];
    render(<CsvSource pasteLabel="paste" idOnly onChange={(input, rows) => changes.push({ input, rows })} />);
    const input = await find<HTMLInputElement>('input[type="file"][name="csvFile"]');
    expect(input.accept.split(',')).toContain('.xlsx');

    pickFile(input, workbookFile('고객.xlsx'));
    const picker = await find<HTMLSelectElement>('select[name="sheet"]');
    expect(document.querySelector(`label[for="${picker.id}"]`)?.textContent).toBe('xlsx_sheet');
    expect([...picker.options].map((o) => o.value)).toEqual(['요약', '고객목록']);
    // No encoding choice for a workbook.
    expect(document.querySelector('select[name="encoding"]')).toBeNull();

    fireEvent.change(picker, { target: { value: '고객목록' } });
    await waitFor(() => expect(changes.at(-1)?.input).toMatchObject({ kind: 'xlsx', sheet: '고객목록' }));
    const last = changes.at(-1)!;
    expect(last.rows[0]).toEqual(['회원번호', '이름']);
    expect(last.rows[1]).toEqual(['4018203344', '김하나']);
    expect(document.querySelector('[data-testid="xlsx-sheet"]')?.getAttribute('data-sheet')).toBe('고객목록');

    // The run reads the same rows, numbered as Excel numbers them, the rounded number marked.
    const rows: string[][] = [];
    const lines: number[] = [];
    const unsafe: (readonly number[] | undefined)[] = [];
    await readRows(last.input!, (r, p) => {
      rows.push(...r);
      for (const place of p) {
        lines.push(place.line);
        unsafe.push(place.unsafe);
      }
    });
    expect(lines).toEqual([2, 3, 4]);
    expect(unsafe).toEqual([undefined, undefined, [0]]);
  });

  it('says so when a picked .xlsx is not a workbook', async () => {
    const changes: (CsvInput | null)[] = [];
    render(<CsvSource pasteLabel="paste" onChange={(input) => changes.push(input)} />);
    const input = await find<HTMLInputElement>('input[name="csvFile"]');
    pickFile(input, new File(['회원번호\n4018203344\n'], 'ids.xlsx'));
    expect((await find('[data-testid="xlsx-unreadable"]')).getAttribute('role')).toBe('alert');
    expect(changes.at(-1) ?? null).toBeNull();
  });
});

describe('dry-run report as .xlsx', () => {
  it('downloads the rejected rows as a workbook with the values as text cells', async () => {
    const summary: ValidationSummary = {
      rows: 2,
      valid: 0,
      duplicates: 0,
      errorRows: 2,
      errors: [
        { row: 4, code: 'xlsx_unsafe_number', column: '회원번호', value: '9.0072E+15' },
        { row: 5, code: 'invalid_user_id', column: '회원번호', value: '0012345678' },
      ],
    };
    render(<DryRunReport summary={summary} sheet="고객목록" />);
    expect((await find('[data-testid="dry-run-sheet"]')).getAttribute('data-sheet')).toBe('고객목록');
    fireEvent.click(await find('[data-action="download-dry-run-xlsx"]'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.name).toBe('channel-desk-dry-run-STAMP.xlsx');
    const wb = XLSX.read(new Uint8Array(await saved[0]!.blob.arrayBuffer()), { type: 'array', cellNF: true });
    const ws = wb.Sheets[wb.SheetNames[0]!]!;
    expect(ws.C3).toMatchObject({ t: 's', v: '0012345678', z: '@' });
    expect(String(ws.D2?.v)).toContain('Excel stored this ID as a number');
  });
});
