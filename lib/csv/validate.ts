import type { FileUser, UserType } from '../kakao/client';
import { USER_ID_PATTERN } from '../kakao/ids';
import type { FileSchema } from '../kakao/schemas';
import type { ColumnMapping } from './mapping';
import { normalisePhone } from './phone';

/*
 * Row validation against a customer file's schema, before anything is sent (the
 * dry run). Every rejected row gets a reason a user can act on; nothing is dropped
 * silently. Row numbers are the spreadsheet's (header = row 1).
 */

export type RowErrorCode =
  | 'missing_id'
  | 'invalid_user_id'
  | 'scientific_notation'
  | 'invalid_phone'
  | 'not_a_number'
  | 'duplicate';

export interface RowError {
  row: number;
  code: RowErrorCode;
  /** Header of the offending column. */
  column: string;
  value: string;
  /** For duplicates: the row that was kept. */
  firstRow?: number;
}

export interface ValidationSummary {
  /** Data rows read (header excluded). */
  rows: number;
  valid: number;
  duplicates: number;
  errors: RowError[];
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
  not_a_number: { ko: '숫자 필드인데 숫자가 아닙니다.', en: 'This field is a number field, but the value is not a number.' },
  duplicate: { ko: '앞 행과 같은 ID라서 합쳤습니다(첫 행만 보냄).', en: 'Same ID as an earlier row; collapsed (only the first row is sent).' },
};

/** The sentence for a row error, in Korean or English. */
export function describeRowError(error: RowError, lang: 'ko' | 'en'): string {
  const base = MESSAGES[error.code][lang];
  if (error.code === 'duplicate' && error.firstRow) {
    return lang === 'ko' ? `${base} (처음 나온 행: ${error.firstRow})` : `${base} (first seen in row ${error.firstRow})`;
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
 * order; `finish` returns the users to send (deduplicated, first row wins) and
 * the summary with every rejected row.
 */
/**
 * Validates rows as they stream in. `firstRow` is the spreadsheet row number of the
 * first data row: 2 under a header row (the default), 1 for a headerless file.
 */
export function createRowValidator(header: readonly string[], schema: FileSchema, mapping: ColumnMapping, firstRow = 2) {
  const seen = new Map<string, number>();
  const users: FileUser[] = [];
  const errors: RowError[] = [];
  let rows = 0;
  let duplicates = 0;
  const idHeader = header[mapping.idColumn] ?? 'ID';
  const fieldEntries = Object.entries(mapping.fields);

  return {
    add(batch: readonly (readonly string[])[]) {
      for (const cells of batch) {
        const row = firstRow + rows;
        rows++;
        const rawId = cells[mapping.idColumn] ?? '';
        const id = normaliseId(rawId, mapping.userType);
        if ('code' in id) {
          errors.push({ row, code: id.code, column: idHeader, value: rawId });
          continue;
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
        if (bad) continue;
        const first = seen.get(id.id);
        if (first !== undefined) {
          duplicates++;
          errors.push({ row, code: 'duplicate', column: idHeader, value: rawId, firstRow: first });
          continue;
        }
        seen.set(id.id, row);
        users.push(Object.keys(field).length > 0 ? { id: id.id, field } : { id: id.id });
      }
    },
    finish(): { users: FileUser[]; summary: ValidationSummary } {
      return { users, summary: { rows, valid: users.length, duplicates, errors } };
    },
  };
}

/** IDs for a bulk check or a deletion: normalised, deduplicated, with the rejected ones explained. */
export function collectIds(
  values: Iterable<string>,
  userType: UserType,
  column = 'ID',
  firstRow = 1,
): { ids: string[]; summary: ValidationSummary } {
  const seen = new Map<string, number>();
  const errors: RowError[] = [];
  let rows = 0;
  let duplicates = 0;
  for (const raw of values) {
    // Every value is a row: the parser already drops blank lines, so an empty value is a
    // row whose ID cell is empty, reported as such (dropping it would shift every later row number).
    const row = firstRow + rows;
    rows++;
    const id = normaliseId(raw, userType);
    if ('code' in id) {
      errors.push({ row, code: id.code, column, value: raw });
      continue;
    }
    const first = seen.get(id.id);
    if (first !== undefined) {
      duplicates++;
      errors.push({ row, code: 'duplicate', column, value: raw, firstRow: first });
      continue;
    }
    seen.set(id.id, row);
  }
  return { ids: [...seen.keys()], summary: { rows, valid: seen.size, duplicates, errors } };
}
