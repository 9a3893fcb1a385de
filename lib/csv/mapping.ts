import type { FileSchema } from '../kakao/schemas';
import type { UserType } from '../kakao/client';

/** Which CSV column holds what. Columns are indexes into the header row. */
export interface ColumnMapping {
  idColumn: number;
  userType: UserType;
  /** Schema field name → column index. A field left out is not sent. */
  fields: Record<string, number>;
}

export const ID_HEADER =
  /^(회원\s*번호|회원\s*id|user\s*_?id|userid|app\s*_?user\s*_?id|id|kakao\s*_?id|target\s*_?id)$/i;
export const PHONE_HEADER =
  /^(전화\s*번호|휴대\s*폰(\s*번호)?|핸드폰(\s*번호)?|연락처|phone(\s*_?number)?|mobile|tel)$/i;

const norm = (s: string) => s.replace(/^\uFEFF/, '').trim();

/**
 * A first guess the user confirms: the ID column by its header (회원번호, user_id,
 * 전화번호, phone, …, else the first column), the user type from it, and each
 * schema field from a column with exactly its name.
 */
export function guessMapping(header: readonly string[], schema: FileSchema): ColumnMapping {
  const names = header.map(norm);
  const phone = names.findIndex((h) => PHONE_HEADER.test(h));
  const app = names.findIndex((h) => ID_HEADER.test(h));
  const idColumn = app >= 0 ? app : phone >= 0 ? phone : 0;
  const fields: Record<string, number> = {};
  for (const field of Object.keys(schema)) {
    const index = names.findIndex((h, i) => i !== idColumn && h === field);
    if (index >= 0) fields[field] = index;
  }
  return { idColumn, userType: app < 0 && phone >= 0 ? 'phone' : 'app', fields };
}

/** The column of IDs for a bulk check: a user-ID header if there is one, else the first column. */
export function guessIdColumn(header: readonly string[]): number {
  const index = header.map(norm).findIndex((h) => ID_HEADER.test(h));
  return index >= 0 ? index : 0;
}

/** A cell that reads as a user ID or a phone number (digits, with the separators people type). */
const ID_LIKE = /^\+?\d[\d\s-]{0,22}$/;

/**
 * True when the first row looks like data rather than a header: no cell is a known
 * ID/phone header, and some cell, in any column, reads as an ID or phone number
 * (a headerless phone list "010-1234-5678", or IDs in a later column).
 */
export function looksHeaderless(firstRow: readonly string[]): boolean {
  const cells = firstRow.map(norm);
  if (cells.some((c) => ID_HEADER.test(c) || PHONE_HEADER.test(c))) return false;
  return cells.some((c) => ID_LIKE.test(c));
}
