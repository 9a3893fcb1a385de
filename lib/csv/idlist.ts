import type { UserType } from '../kakao/client';
import { ID_HEADER, PHONE_HEADER } from './mapping';
import type { RowPlace } from './parse';
import { unwrapExcelText } from './parse';
import { normalisePhone } from './phone';

/*
 * Pasted ID lists (bulk check, delete users). Managers paste IDs one a line, but
 * also "4018203344, 1234567890, 5550001112" or a row copied from Excel (tabs), so
 * pasted text is split on newlines, commas, semicolons, tabs and spaces. Each
 * value keeps the line it was on and, when the line held several, which one it
 * was: the dry run says "line 4, 2nd value".
 *
 * A paste that is a table stays a table (parsed as CSV/TSV by parse.ts): one with
 * a double quote (quoted CSV), or whose first line has several cells one of which
 * is an ID/phone header (회원번호, user_id, 전화번호, …).
 */

interface IdToken {
  value: string;
  place: RowPlace;
}

export interface IdList {
  tokens: IdToken[];
  /** Lines that held at least one value. */
  lines: number;
  /** The first line was a lone ID header (회원번호, user_id, …) and is not a value. */
  header: string | null;
}

const CELL_SEPARATORS = /[,;\t]/;
const norm = (s: string) => s.replace(/^\uFEFF/, '').trim();

/** True when pasted text is a table (quoted CSV, or a header row naming the ID column among others). */
export function pasteIsTable(text: string): boolean {
  if (text.includes('"')) return true;
  const first = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .find((l) => l.trim() !== '');
  if (!first) return false;
  const cells = first
    .split(CELL_SEPARATORS)
    .map(norm)
    .filter((c) => c !== '');
  return cells.length > 1 && cells.some((c) => ID_HEADER.test(c) || PHONE_HEADER.test(c));
}

/**
 * Splits an ID list. Phone numbers are written with spaces ("010 1234 5678",
 * "+82 10-1234-5678"), so for phone lists a piece between commas/semicolons/tabs
 * that reads as one phone number as a whole is kept whole; otherwise spaces separate values too.
 */
export function splitIdList(text: string, userType: UserType = 'app'): IdList {
  const tokens: IdToken[] = [];
  let lines = 0;
  let header: string | null = null;
  const all = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let seenValue = false;
  all.forEach((raw, i) => {
    const line = i + 1;
    const values: string[] = [];
    for (const piece of raw.split(CELL_SEPARATORS)) {
      const trimmed = piece.trim();
      if (!trimmed) continue;
      if (userType === 'phone' && /\s/.test(trimmed) && normalisePhone(trimmed)) values.push(trimmed);
      else values.push(...trimmed.split(/\s+/));
    }
    if (values.length === 0) return;
    if (!seenValue && values.length === 1 && (ID_HEADER.test(values[0]!) || PHONE_HEADER.test(values[0]!))) {
      seenValue = true;
      header = values[0]!;
      return;
    }
    seenValue = true;
    lines++;
    values.forEach((v, j) =>
      tokens.push({ value: unwrapExcelText(v), place: values.length > 1 ? { line, position: j + 1 } : { line } }),
    );
  });
  return { tokens, lines, header };
}
