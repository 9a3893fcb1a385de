import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodeSlices, detectEncoding, sniffEncoding } from '@/lib/csv/decode';
import { parseCsvText, previewCsv, streamCsv } from '@/lib/csv/parse';
import { guessIdColumn, guessMapping, looksHeaderless } from '@/lib/csv/mapping';
import { PHONE_EXAMPLE, normalisePhone } from '@/lib/csv/phone';
import { collectIds, createRowValidator, describeRowError, normaliseId, parseNumberCell } from '@/lib/csv/validate';
import { CSV_BOM, csvBlob, csvCell, csvLine, neutralise } from '@/lib/csv/export';
import { checkSchema, toFileSchema } from '@/lib/csv/schema';

// '홍길동' in CP949, as Korean Excel writes it.
const HONG_CP949 = new Uint8Array([0xc8, 0xab, 0xb1, 0xe6, 0xb5, 0xbf]);
const utf8 = (s: string) => new TextEncoder().encode(s);

async function collect(blob: Blob, encoding: 'utf-8' | 'euc-kr', sliceBytes?: number) {
  const rows: string[][] = [];
  await streamCsv(blob, encoding, (r) => rows.push(...r), sliceBytes);
  return rows;
}

describe('encoding detection', () => {
  it('recognises CP949 bytes written by Korean Excel', () => {
    expect(detectEncoding(HONG_CP949)).toEqual({ encoding: 'euc-kr', bom: false });
    expect(new TextDecoder('euc-kr').decode(HONG_CP949)).toBe('홍길동');
  });

  it('recognises UTF-8 with and without a BOM, and plain ASCII as UTF-8', () => {
    expect(detectEncoding(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('회원번호')]))).toEqual({
      encoding: 'utf-8',
      bom: true,
    });
    expect(detectEncoding(utf8('회원번호,성별\n1,F'))).toEqual({ encoding: 'utf-8', bom: false });
    expect(detectEncoding(utf8('user_id\n123'))).toEqual({ encoding: 'utf-8', bom: false });
  });

  it('does not call UTF-8 CP949 when the sample ends in the middle of a character', () => {
    const bytes = utf8('이름,홍길동');
    expect(detectEncoding(bytes.slice(0, bytes.length - 1)).encoding).toBe('utf-8');
  });

  it('sniffs a whole CP949 file made by iconv (a longer, realistic sample)', async () => {
    const file = new Blob([
      new Uint8Array(iconv.encode('회원번호,성별,지역\n1001,여,서울특별시\n1002,남,부산광역시\n', 'cp949')),
    ]);
    expect((await sniffEncoding(file)).encoding).toBe('euc-kr');
    expect(await collect(file, 'euc-kr')).toEqual([
      ['회원번호', '성별', '지역'],
      ['1001', '여', '서울특별시'],
      ['1002', '남', '부산광역시'],
    ]);
  });
});

describe('streaming parse', () => {
  it('keeps Korean characters intact when a slice boundary cuts one (1-byte slices)', async () => {
    const cp949 = new Blob([new Uint8Array([...utf8('id,name\n1,'), ...HONG_CP949, 0x0a])]);
    expect(await collect(cp949, 'euc-kr', 1)).toEqual([
      ['id', 'name'],
      ['1', '홍길동'],
    ]);
    const withBom = new Blob([new Uint8Array([0xef, 0xbb, 0xbf]), utf8('id,name\n2,"김, 철수"\n')]);
    expect(await collect(withBom, 'utf-8', 3)).toEqual([
      ['id', 'name'],
      ['2', '김, 철수'],
    ]);
  });

  it('streams a large file in pieces without losing a row', async () => {
    const lines = ['회원번호,포인트'];
    for (let i = 1; i <= 20_000; i++) lines.push(`${1000 + i},${i}`);
    const file = new Blob([new Uint8Array(iconv.encode(lines.join('\r\n'), 'cp949'))]);
    const rows = await collect(file, 'euc-kr', 4096);
    expect(rows).toHaveLength(20_001);
    expect(rows[0]).toEqual(['회원번호', '포인트']);
    expect(rows[20_000]).toEqual(['21000', '20000']);
  });

  it('decodes slices with one streaming decoder', async () => {
    let text = '';
    for await (const piece of decodeSlices(new Blob([HONG_CP949, HONG_CP949]), 'euc-kr', 5)) text += piece;
    expect(text).toBe('홍길동홍길동');
  });

  it('previews the header and first rows, and parses pasted text with a BOM', async () => {
    const file = new Blob([utf8('a,b\n1,2\n3,4\n5,6\n')]);
    expect(await previewCsv(file, 'utf-8', 1)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsvText('\uFEFFid\n1\n\n2\n')).toEqual([['id'], ['1'], ['2']]);
  });
});

describe('column mapping', () => {
  it('tells a header row from a first data row, whichever column holds the ID', () => {
    expect(looksHeaderless(['회원번호', '이름'])).toBe(false);
    expect(looksHeaderless(['휴대폰 번호'])).toBe(false);
    expect(looksHeaderless(['이름', '구매금액'])).toBe(false);
    expect(looksHeaderless(['1234567890123456789'])).toBe(true);
    expect(looksHeaderless(['010-1234-5678', '김철수'])).toBe(true); // a headerless phone list
    expect(looksHeaderless(['김철수', '1234567890'])).toBe(true); // the ID in a later column
    expect(looksHeaderless(['+82 10-1234-5678'])).toBe(true);
  });

  const schema = { 성별: 'string', 구매금액: 'number' } as const;
  it('finds the user-ID column and schema fields by header', () => {
    expect(guessMapping(['이름', '회원번호', '구매금액', '성별'], schema)).toEqual({
      idColumn: 1,
      userType: 'app',
      fields: { 구매금액: 2, 성별: 3 },
    });
  });
  it('switches to phone numbers when the ID column is a phone column', () => {
    expect(guessMapping(['휴대폰 번호', '성별'], schema)).toEqual({
      idColumn: 0,
      userType: 'phone',
      fields: { 성별: 1 },
    });
    expect(guessIdColumn(['name', 'user_id'])).toBe(1);
    expect(guessIdColumn(['whatever'])).toBe(0);
  });
});

describe('phone numbers', () => {
  it('normalises Korean mobile numbers to 82 + number without the leading 0', () => {
    for (const raw of [
      '010-1234-5678',
      '01012345678',
      '+82 10-1234-5678',
      '82-10-1234-5678',
      '(010) 1234.5678',
      '+821012345678',
    ]) {
      expect(normalisePhone(raw)).toBe('821012345678');
    }
    expect(normalisePhone('010-1234-5678')).toBe(PHONE_EXAMPLE); // the example the UI shows is what we send
    expect(normalisePhone('011-123-4567')).toBe('82111234567');
    expect(normalisePhone('02-123-4567')).toBeNull(); // Seoul landline
    expect(normalisePhone('010-1234')).toBeNull();
    expect(normalisePhone('phone')).toBeNull();
  });
});

describe('row validation (the dry run)', () => {
  const header = ['회원번호', '성별', '구매금액'];
  const schema = { 성별: 'string', 구매금액: 'number' } as const;
  const mapping = { idColumn: 0, userType: 'app' as const, fields: { 성별: 1, 구매금액: 2 } };

  it('accepts good rows, explains each bad one with its row, column and value, and collapses duplicates', () => {
    const v = createRowValidator(header, schema, mapping);
    v.add([
      ['1001', 'F', '52,000'],
      ['1002', 'M', ''],
      ['abc', 'F', '1'],
      ['1003', 'F', '12원'],
      ['1001', 'M', '7'],
      ['1.23457E+18', 'F', '1'],
      ['', 'F', '1'],
    ]);
    const { users, summary } = v.finish();
    expect(users).toEqual([
      { id: '1001', field: { 성별: 'F', 구매금액: 52000 } },
      { id: '1002', field: { 성별: 'M' } },
    ]);
    expect(summary).toMatchObject({ rows: 7, valid: 2, duplicates: 1 });
    // Errors first, then duplicates (issue 16.3: duplicates used to come in between and bury the errors).
    expect(summary.errors).toEqual([
      { row: 4, code: 'invalid_user_id', column: '회원번호', value: 'abc' },
      { row: 5, code: 'not_a_number', column: '구매금액', value: '12원' },
      { row: 7, code: 'scientific_notation', column: '회원번호', value: '1.23457E+18' },
      { row: 8, code: 'missing_id', column: '회원번호', value: '' },
      { row: 6, code: 'duplicate', column: '회원번호', value: '1001', firstRow: 2 },
    ]);
    expect(describeRowError(summary.errors[1]!, 'ko')).toBe('숫자 필드인데 숫자가 아닙니다.');
    expect(describeRowError(summary.errors[4]!, 'en')).toContain('first seen in row 2');
    expect(describeRowError(summary.errors[2]!, 'ko')).toContain('텍스트');
  });

  it('numbers rows from 1 in a headerless file', () => {
    const v = createRowValidator(header, schema, mapping, 1);
    v.add([
      ['1001', 'F', '1'],
      ['x', 'F', '1'],
      ['1001', 'F', '1'],
    ]);
    expect(v.finish().summary.errors.map((e) => [e.code, e.row, e.firstRow])).toEqual([
      ['invalid_user_id', 2, undefined],
      ['duplicate', 3, 1],
    ]);
  });

  it('validates phone IDs and numbers', () => {
    expect(normaliseId(' 010-9999-0000 ', 'phone')).toEqual({ id: '821099990000' });
    expect(normaliseId('12345', 'phone')).toEqual({ code: 'invalid_phone' });
    expect(normaliseId('12345678901234567890', 'app')).toEqual({ id: '12345678901234567890' });
    expect(normaliseId('0123', 'app')).toEqual({ code: 'invalid_user_id' });
    expect(parseNumberCell('1 000.5')).toBe(1000.5);
    expect(parseNumberCell('-3')).toBe(-3);
    expect(parseNumberCell('1e5')).toBeNull();
  });

  it('collects IDs for a bulk check: dedupes and reports what it rejected', () => {
    const { ids, summary } = collectIds(['111', '222', '', '111', 'x1', '333'], 'app');
    expect(ids).toEqual(['111', '222', '333']);
    expect(summary).toMatchObject({ rows: 6, valid: 3, duplicates: 1 });
    // An empty ID cell is a row with a missing ID, not a row that disappears: later row numbers stay true.
    // Errors first, then duplicates (issue 16.3).
    expect(summary.errors.map((e) => [e.code, e.row])).toEqual([
      ['missing_id', 3],
      ['invalid_user_id', 5],
      ['duplicate', 4],
    ]);
  });
});

describe('schema editor rules', () => {
  it('allows predefined string fields and named custom numbers, and explains the rest', () => {
    expect(
      checkSchema([
        { name: '성별', type: 'string' },
        { name: '방문 횟수', type: 'number' },
      ]),
    ).toEqual([]);
    expect(checkSchema([{ name: '성별', type: 'number' }])).toEqual([{ code: 'predefined_is_string', name: '성별' }]);
    expect(
      checkSchema([
        { name: 'a', type: 'number' },
        { name: 'a', type: 'number' },
      ]),
    ).toEqual([{ code: 'duplicate', name: 'a' }]);
    expect(checkSchema([{ name: '', type: 'number' }])).toEqual([{ code: 'empty_name', index: 0 }]);
    expect(checkSchema([{ name: 'x=1', type: 'number' }])).toEqual([{ code: 'bad_characters', name: 'x=1' }]);
    const many = Array.from({ length: 31 }, (_, i) => ({ name: `f${i}`, type: 'number' as const }));
    expect(checkSchema(many)).toEqual([{ code: 'too_many', max: 30 }]);
    expect(toFileSchema([{ name: ' 성별 ', type: 'string' }])).toEqual({ 성별: 'string' });
  });
});

describe('CSV export', () => {
  it('neutralises formula cells and quotes what needs quoting', () => {
    expect(neutralise('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    for (const c of ['+1', '-1', '@SUM(A1)', '\tX']) expect(neutralise(c).startsWith("'")).toBe(true);
    expect(neutralise('1001')).toBe('1001');
    // A leading line feed, and formulas behind leading spaces, run in spreadsheets too.
    expect(neutralise('\n=1+1')).toBe("'\n=1+1");
    expect(neutralise('\nplain')).toBe("'\nplain");
    expect(neutralise('  =HYPERLINK("http://x")')).toBe(`'  =HYPERLINK("http://x")`);
    expect(neutralise(' @SUM(A1)')).toBe("' @SUM(A1)");
    expect(csvCell('\n=1+1')).toBe(`"'\n=1+1"`);
    expect(neutralise('  plain text')).toBe('  plain text');
    expect(csvCell('=1+2,3')).toBe(`"'=1+2,3"`);
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, '줄\n바꿈'])).toBe('a,1,"줄\n바꿈"\r\n');
  });

  it('writes UTF-8 with a BOM that decodes back to the same rows', async () => {
    const blob = csvBlob(
      ['회원번호', '관계'],
      [
        ['1001', '친구'],
        ['=cmd', '-'],
      ],
    );
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(parseCsvText(text)).toEqual([
      ['회원번호', '관계'],
      ['1001', '친구'],
      ["'=cmd", "'-"],
    ]);
  });
});
