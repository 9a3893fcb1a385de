import type { FileUser, UserType } from '../kakao/client';
import { USER_ID_PATTERN } from '../kakao/ids';
import type { FileSchema } from '../kakao/schemas';
import type { ColumnMapping } from './mapping';
import type { RowPlace } from './parse';
import { normalisePhone } from './phone';

/*
 * Row validation against a customer file's schema, before anything is sent (the
 * dry run). Every rejected row gets a reason a user can act on; nothing is dropped
 * silently. Row numbers are the physical line numbers of the manager's file or
 * paste (header = line 1; blank lines and the extra lines of multi-line cells
 * count), handed in by parse.ts; without them rows are numbered by count.
 *
 * One set of numbers, everywhere (dry run, job, report): found = valid + with
 * errors; valid = will be sent + duplicates (removed). A row with several bad
 * cells is one row with errors. Errors are listed before duplicates.
 */

/**
 * Why a row was rejected. Plain tuple (no zod in the page bundles); the zod enum is in
 * lib/messages/commands/workspace.ts.
 */
export const ROW_ERROR_CODES = [
  'missing_id',
  'invalid_user_id',
  'scientific_notation',
  'invalid_phone',
  'not_a_number',
  'duplicate',
  'xlsx_unsafe_number',
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

export interface RowError {
  /** The line the row starts on in the file or paste. */
  row: number;
  /** On a pasted line with several IDs: which value (1-based). */
  position?: number;
  code: RowErrorCode;
  /** Header of the offending column. */
  column: string;
  value: string;
  /** For duplicates: the row that was kept. */
  firstRow?: number;
  firstPosition?: number;
}

export interface ValidationSummary {
  /** Data rows (or pasted IDs) found, header excluded. */
  rows: number;
  /** Rows that will be sent: valid and not a duplicate. */
  valid: number;
  /** Valid rows left out because an earlier row has the same ID. */
  duplicates: number;
  /** Rows with at least one error (not duplicates); rows = valid + duplicates + errorRows. */
  errorRows: number;
  /** Errors first (in row order), then duplicates. */
  errors: RowError[];
}

/** The counts every screen and report shows, in one order. */
export interface RowCounts {
  found: number;
  valid: number;
  errorRows: number;
  duplicates: number;
  send: number;
}

export function summaryCounts(s: Pick<ValidationSummary, 'rows' | 'valid' | 'duplicates' | 'errorRows'>): RowCounts {
  return {
    found: s.rows,
    valid: s.rows - s.errorRows,
    errorRows: s.errorRows,
    duplicates: s.duplicates,
    send: s.valid,
  };
}

/** Rows with errors among rejected rows: distinct rows, duplicates not counted. */
export function countErrorRows(errors: readonly RowError[]): number {
  const rows = new Set<string>();
  for (const e of errors) if (e.code !== 'duplicate') rows.add(`${e.row}:${e.position ?? 0}`);
  return rows.size;
}

/** Errors first, then duplicates; each group in row order as found. */
export function errorsFirst<T extends Pick<RowError, 'code'>>(errors: readonly T[]): T[] {
  return [...errors.filter((e) => e.code !== 'duplicate'), ...errors.filter((e) => e.code === 'duplicate')];
}

const ORDINAL_EN = (n: number) =>
  `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;

/** Where a row is, as the manager reads it: "4", or "4, 2nd value" / "4, 2번째 값" for a pasted line with several IDs. */
function placeLabel(row: number, position: number | undefined, lang: 'ko' | 'en'): string {
  if (!position) return String(row);
  return lang === 'ko' ? `${row}, ${position}번째 값` : `${row}, ${ORDINAL_EN(position)} value`;
}

export function rowLabel(error: Pick<RowError, 'row' | 'position'>, lang: 'ko' | 'en'): string {
  return placeLabel(error.row, error.position, lang);
}

const MESSAGES: Record<RowErrorCode, { ko: string; en: string }> = {
  missing_id: { ko: 'ID 칸이 비어 있습니다.', en: 'The ID cell is empty.' },
  invalid_user_id: {
    ko: '회원번호는 숫자만(최대 20자리) 쓸 수 있습니다.',
    en: 'A user ID is digits only (up to 20 digits).',
  },
  scientific_notation: {
    ko: '엑셀이 회원번호를 지수 표기(예: 1.23E+18)로 바꿨습니다. 열 서식을 텍스트로 바꾼 뒤 다시 저장하세요.',
    en: 'Excel turned the user ID into scientific notation (e.g. 1.23E+18). Format the column as text and save again.',
  },
  invalid_phone: {
    ko: '휴대폰 번호가 아닙니다. 010-1234-5678 또는 +82 10-1234-5678 형식으로 쓰세요.',
    en: 'Not a Korean mobile number. Write it as 010-1234-5678 or +82 10-1234-5678.',
  },
  not_a_number: {
    ko: '숫자 필드인데 숫자가 아닙니다.',
    en: 'This field is a number field, but the value is not a number.',
  },
  xlsx_unsafe_number: {
    ko: '엑셀이 이 ID를 숫자로 저장해서 이미 자릿수를 잃었습니다. 엑셀에서 열 서식을 텍스트로 바꾸고 ID를 다시 입력하세요.',
    en:
      'Excel stored this ID as a number and has already lost digits; ' +
      'format the column as Text in Excel and enter the IDs again.',
  },
  duplicate: {
    ko: '앞 행과 같은 ID라서 합쳤습니다(첫 행만 보냄).',
    en: 'Same ID as an earlier row; collapsed (only the first row is sent).',
  },
};

/** The sentence for a row error, in Korean or English. */
export function describeRowError(error: RowError, lang: 'ko' | 'en'): string {
  const base = MESSAGES[error.code][lang];
  if (error.code === 'duplicate' && error.firstRow) {
    const first = placeLabel(error.firstRow, error.firstPosition, lang);
    return lang === 'ko' ? `${base} (처음 나온 행: ${first})` : `${base} (first seen in row ${first})`;
  }
  return base;
}

/** A user ID or phone number in the one form Kakao gets, or the reason it is not one. */
export function normaliseId(raw: string, userType: UserType): { id: string } | { code: RowErrorCode } {
  const value = raw.trim();
  if (!value) return { code: 'missing_id' };
  if (userType === 'phone') {
    const phone = normalisePhone(value);
    return phone ? { id: phone } : { code: 'invalid_phone' };
  }
  if (/^\d(\.\d+)?e\+?\d+$/i.test(value)) return { code: 'scientific_notation' };
  return USER_ID_PATTERN.test(value) ? { id: value } : { code: 'invalid_user_id' };
}

/** "52,000" and " 1 000 " are numbers; "12abc" is not. */
export function parseNumberCell(raw: string): number | null {
  const cleaned = raw.trim().replace(/[,\s]/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

/**
 * Validates rows as they stream in. `add` takes data rows (no header) in file
 * order, with their places (lines) from the parser; `finish` returns the users to
 * send (deduplicated, first row wins) and the summary with every rejected row.
 * Without places, `firstRow` is the row number of the first data row: 2 under a
 * header row (the default), 1 for a headerless file, and rows count up from it.
 */
export function createRowValidator(
  header: readonly string[],
  schema: FileSchema,
  mapping: ColumnMapping,
  firstRow = 2,
) {
  const seen = new Map<string, RowPlace>();
  const users: FileUser[] = [];
  const errors: RowError[] = [];
  const duplicateList: RowError[] = [];
  let rows = 0;
  let errorRows = 0;
  const idHeader = header[mapping.idColumn] ?? 'ID';
  const fieldEntries = Object.entries(mapping.fields);
  const fieldColumns = new Set(Object.values(mapping.fields));

  return {
    add(batch: readonly (readonly string[])[], places?: readonly RowPlace[]) {
      batch.forEach((cells, i) => {
        const place = places?.[i] ?? { line: firstRow + rows };
        const row = place.line;
        rows++;
        const rawId = cells[mapping.idColumn] ?? '';
        const lost = place.unsafe?.filter((c) => c === mapping.idColumn || fieldColumns.has(c)) ?? [];
        if (lost.length > 0) {
          for (const c of lost)
            errors.push({ row, code: 'xlsx_unsafe_number', column: header[c] ?? idHeader, value: cells[c] ?? '' });
          errorRows++;
          return;
        }
        const id = normaliseId(rawId, mapping.userType);
        if ('code' in id) {
          errors.push({ row, code: id.code, column: idHeader, value: rawId });
          errorRows++;
          return;
        }
        const field: Record<string, string | number> = {};
        let bad = false;
        for (const [name, column] of fieldEntries) {
          const raw = (cells[column] ?? '').trim();
          if (raw === '') continue; // an empty cell sends no value
          if (schema[name] === 'number') {
            const n = parseNumberCell(raw);
            if (n === null) {
              errors.push({ row, code: 'not_a_number', column: header[column] ?? name, value: raw });
              bad = true;
              continue;
            }
            field[name] = n;
          } else {
            field[name] = raw;
          }
        }
        if (bad) return void errorRows++;
        const first = seen.get(id.id);
        if (first !== undefined) {
          duplicateList.push({ row, code: 'duplicate', column: idHeader, value: rawId, firstRow: first.line });
          return;
        }
        seen.set(id.id, place);
        users.push(Object.keys(field).length > 0 ? { id: id.id, field } : { id: id.id });
      });
    },
    finish(): { users: FileUser[]; summary: ValidationSummary } {
      return {
        users,
        summary: {
          rows,
          valid: users.length,
          duplicates: duplicateList.length,
          errorRows,
          errors: [...errors, ...duplicateList],
        },
      };
    },
  };
}

/** A value for collectIds with its place in the file or paste. */
export interface PlacedValue {
  value: string;
  place: RowPlace;
  /** The value is an Excel number above 2^53, already rounded (lib/xlsx/sheet.ts): rejected, never sent. */
  unsafe?: boolean;
}

/**
 * IDs for a bulk check or a deletion: normalised, deduplicated, with the rejected
 * ones explained. Values come with their places (line, and position on a pasted
 * line); bare strings are numbered by count from `firstRow`.
 */
export function collectIds(
  values: Iterable<string | PlacedValue>,
  userType: UserType,
  column = 'ID',
  firstRow = 1,
): { ids: string[]; summary: ValidationSummary } {
  const seen = new Map<string, RowPlace>();
  const errors: RowError[] = [];
  const duplicateList: RowError[] = [];
  let rows = 0;
  for (const item of values) {
    // Every value is a row: the parser already drops blank lines, so an empty value is a
    // row whose ID cell is empty, reported as such.
    const { value: raw, place } = typeof item === 'string' ? { value: item, place: { line: firstRow + rows } } : item;
    rows++;
    const at = place.position ? { row: place.line, position: place.position } : { row: place.line };
    if (typeof item !== 'string' && item.unsafe) {
      errors.push({ ...at, code: 'xlsx_unsafe_number', column, value: raw });
      continue;
    }
    const id = normaliseId(raw, userType);
    if ('code' in id) {
      errors.push({ ...at, code: id.code, column, value: raw });
      continue;
    }
    const first = seen.get(id.id);
    if (first !== undefined) {
      duplicateList.push({
        ...at,
        code: 'duplicate',
        column,
        value: raw,
        firstRow: first.line,
        ...(first.position ? { firstPosition: first.position } : {}),
      });
      continue;
    }
    seen.set(id.id, place);
  }
  return {
    ids: [...seen.keys()],
    summary: {
      rows,
      valid: seen.size,
      duplicates: duplicateList.length,
      errorRows: errors.length,
      errors: [...errors, ...duplicateList],
    },
  };
}
