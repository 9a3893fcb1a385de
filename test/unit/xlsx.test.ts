import { describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { readBook, sheetRows, xlsxBlob } from '@/lib/xlsx/sheet';
import { guessIdColumn, guessMapping, looksHeaderless } from '@/lib/csv/mapping';
import { collectIds, createRowValidator, describeRowError, type PlacedValue } from '@/lib/csv/validate';
import { asText } from '@/lib/csv/export';

/*
 * Excel import and export (issue 12). Workbooks are written here with the library itself, then read back the way the
 * workspace reads a picked file: no binary fixtures.
 */

type Cell = string | number | boolean | Date | null | XLSX.CellObject;

function workbook(sheets: Record<string, { rows: Cell[][]; merges?: XLSX.Range[] }>): ArrayBuffer {
  const wb = XLSX.utils.book_new();
  for (const [name, { rows, merges }] of Object.entries(sheets)) {
    const ws = XLSX.utils.aoa_to_sheet(rows);
    if (merges) ws['!merges'] = merges;
    XLSX.utils.book_append_sheet(wb, ws, name);
  }
  return XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer;
}

const TWO_53 = 2 ** 53;

/** The customer list a Korean manager keeps: a title row, a merged header, IDs as numbers and as text. */
const customers = () =>
  workbook({
    요약: { rows: [['합계', 3]] },
    고객목록: {
      rows: [
        ['2024년 고객 명단'],
        ['회원번호', '연락처', null, '이름'],
        [4018203344, '010-1234-5678', '02-123-4567', '김하나'],
        [TWO_53 + 2, '010-2222-3333', '', '이둘'],
        [{ t: 's', v: '0012345678' }, { t: 's', v: '01033334444' }, '', '박셋'],
        [],
        [TWO_53 - 1, '010-4444-5555', '', '최넷'],
        [],
        [],
      ],
      merges: [
        { s: { r: 0, c: 0 }, e: { r: 0, c: 3 } },
        { s: { r: 1, c: 1 }, e: { r: 1, c: 2 } },
      ],
    },
  });

describe('xlsx import', () => {
  it('lists sheets by their names, Korean included, in workbook order', () => {
    const book = readBook(customers());
    expect(book.sheets).toEqual(['요약', '고객목록']);
  });

  it('finds the header below a title row, names the columns of a merged header cell, numbers rows as Excel does', () => {
    const { rows, places, headerRow } = sheetRows(readBook(customers()), '고객목록');
    expect(headerRow).toBe(1);
    expect(rows[0]).toEqual(['회원번호', '연락처', '연락처 (2)', '이름']);
    // The title (Excel row 1) and blank rows are left out; trailing empty rows are dropped.
    expect(places.map((p) => p.line)).toEqual([2, 3, 4, 5, 7]);
    expect(rows).toHaveLength(5);
    // The mapping code takes the header unchanged.
    expect(looksHeaderless(rows[0]!)).toBe(false);
    expect(guessIdColumn(rows[0]!)).toBe(0);
  });

  it('reads numbers as their exact digits up to 2^53, text IDs with their leading zeros, and flags numbers above', () => {
    const { rows, places } = sheetRows(readBook(customers()), '고객목록');
    expect(rows[1]![0]).toBe('4018203344');
    expect(rows[3]![0]).toBe('0012345678');
    expect(rows[3]![1]).toBe('01033334444');
    expect(rows[4]![0]).toBe(String(TWO_53 - 1));
    expect(places[4]!.unsafe).toBeUndefined();
    // Above 2^53 the stored number is already rounded: the cell is marked, never handed on as a plausible ID.
    expect(places[2]!.unsafe).toEqual([0]);
    expect(rows[2]![0]).not.toBe(String(TWO_53 + 2));
  });

  it('reports a number above 2^53 as a row error with the explanation, in the bulk check and in an upload', () => {
    const { rows, places } = sheetRows(readBook(customers()), '고객목록');
    const values: PlacedValue[] = rows.slice(1).map((r, i) => {
      const place = places[i + 1]!;
      return { value: r[0]!, place, ...(place.unsafe?.includes(0) ? { unsafe: true } : {}) };
    });
    const { ids, summary } = collectIds(values, 'app', rows[0]![0]);
    expect(ids).toEqual(['4018203344', String(TWO_53 - 1)]);
    // The text cell keeps its leading zeros, so it is judged as written (a user ID never starts with 0).
    expect(summary.errors.map((e) => [e.row, e.code, e.value])).toEqual([
      [4, 'xlsx_unsafe_number', rows[2]![0]],
      [5, 'invalid_user_id', '0012345678'],
    ]);
    const error = summary.errors[0]!;
    expect(error).toMatchObject({ row: 4, code: 'xlsx_unsafe_number', column: '회원번호' });
    expect(describeRowError(error, 'en')).toBe(
      'Excel stored this ID as a number and has already lost digits; ' +
        'format the column as Text in Excel and enter the IDs again.',
    );
    expect(describeRowError(error, 'ko')).toContain('텍스트');

    const mapping = guessMapping(rows[0]!, { name: 'string' });
    const validator = createRowValidator(rows[0]!, { name: 'string' }, mapping);
    validator.add(rows.slice(1), places.slice(1));
    const result = validator.finish();
    expect(result.users.map((u) => u.id)).toEqual(['4018203344', String(TWO_53 - 1)]);
    expect(result.summary.errors.map((e) => [e.row, e.code])).toEqual([
      [4, 'xlsx_unsafe_number'],
      [5, 'invalid_user_id'],
    ]);
  });

  it('reads dates, booleans, decimals and formulas as the text Excel shows', () => {
    const book = readBook(
      workbook({
        Sheet1: {
          rows: [
            ['id', 'joined', 'vip', 'score', 'next'],
            [111, new Date(Date.UTC(2024, 0, 5)), true, 0.1 + 0.2, { t: 'n', f: 'A2+1', v: 112 }],
          ],
        },
      }),
    );
    const { rows } = sheetRows(book, 'Sheet1');
    expect(rows[1]![0]).toBe('111');
    expect(rows[1]![1]).toMatch(/24/);
    expect(rows[1]![2]).toBe('TRUE');
    expect(rows[1]![3]).toBe('0.3');
    expect(rows[1]![4]).toBe('112');
  });

  it('takes a headerless sheet of IDs as data from its first row', () => {
    const book = readBook(workbook({ ids: { rows: [[4018203344], [1234567890]] } }));
    const { rows, places } = sheetRows(book, 'ids');
    expect(rows).toEqual([['4018203344'], ['1234567890']]);
    expect(places.map((p) => p.line)).toEqual([1, 2]);
    expect(looksHeaderless(rows[0]!)).toBe(true);
  });

  it('names sub-columns under a header merged over two rows', () => {
    const book = readBook(
      workbook({
        s: {
          rows: [
            ['회원번호', '고객정보', null],
            [null, '이름', '전화번호'],
            ['4018203344', '김하나', '010-1234-5678'],
          ],
          merges: [
            { s: { r: 0, c: 0 }, e: { r: 1, c: 0 } },
            { s: { r: 0, c: 1 }, e: { r: 0, c: 2 } },
          ],
        },
      }),
    );
    const { rows, places } = sheetRows(book, 's');
    expect(rows[0]).toEqual(['회원번호', '고객정보 이름', '고객정보 전화번호']);
    expect(rows[1]).toEqual(['4018203344', '김하나', '010-1234-5678']);
    expect(places.map((p) => p.line)).toEqual([1, 3]);
  });

  it('refuses bytes that are not a workbook', () => {
    expect(() => readBook(new TextEncoder().encode('\u0000\u0001not a workbook at all').buffer)).toThrow(
      'xlsx_unreadable',
    );
  });

  it('reads a 100,000-row sheet in reasonable time', () => {
    const rows: Cell[][] = [['회원번호', '이름']];
    for (let i = 0; i < 100_000; i++) rows.push([4_000_000_000 + i, `고객${i}`]);
    const bytes = workbook({ big: { rows } });
    const started = performance.now();
    const book = readBook(bytes);
    const read = sheetRows(book, 'big');
    const ms = performance.now() - started;
    expect(read.rows).toHaveLength(100_001);
    expect(read.rows[100_000]![0]).toBe('4000099999');
    console.info(`xlsx: 100,000 rows read in ${Math.round(ms)} ms`);
  }, 60_000);
});

describe('xlsx export', () => {
  it('writes IDs as text cells with the text format, Korean intact, numbers as numbers', async () => {
    const big = '9007199254740993';
    const blob = xlsxBlob(
      ['회원번호', '관계', '수'],
      [
        [asText(big), '친구', 3],
        [asText('0012'), '=cmd', null],
      ],
      '확인 결과',
    );
    const wb = XLSX.read(new Uint8Array(await blob.arrayBuffer()), { type: 'array', cellNF: true });
    expect(wb.SheetNames).toEqual(['확인 결과']);
    const ws = wb.Sheets['확인 결과']!;
    expect(ws.A2).toMatchObject({ t: 's', v: big, z: '@' });
    expect(ws.A3).toMatchObject({ t: 's', v: '0012', z: '@' });
    expect(ws.B2).toMatchObject({ t: 's', v: '친구' });
    expect(ws.B3).toMatchObject({ t: 's', v: '=cmd' });
    expect(ws.B3!.f).toBeUndefined();
    expect(ws.C2).toMatchObject({ t: 'n', v: 3 });
    // And the workspace reads its own export back as the same IDs.
    const back = sheetRows(readBook(await blob.arrayBuffer()), '확인 결과');
    expect(back.rows.slice(1).map((r) => r[0])).toEqual([big, '0012']);
  });
});
