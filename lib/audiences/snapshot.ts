import { CHECK_RELATIONS, type CheckRelation } from '../kakao/terms';

/*
 * Compact encodings (zod-free: the workspace page decodes too).
 *
 * ID lists: app user IDs are decimal digits, so a list is packed as nibbles: each digit is 0–9, 0xF ends an ID
 * (and pads the last byte). About (digits + 1) / 2 bytes an ID: 100,000 ten-digit IDs take 550 KB.
 *
 * Relations: per channel one packed array aligned to the snapshot's ID list, 2 bits an ID
 * (0 UNKNOWN, 1 ADDED, 2 BLOCKED, 3 NONE): 100,000 IDs take 25 KB a channel.
 */

const END = 0xf;

/** Packs decimal IDs (each /^\d+$/) into nibbles. */
export function packIds(ids: readonly string[]): Uint8Array {
  let nibbles = 0;
  for (const id of ids) nibbles += id.length + 1;
  const out = new Uint8Array(Math.ceil(nibbles / 2)).fill(0xff);
  let n = 0;
  const put = (v: number) => {
    const i = n >> 1;
    out[i] = n & 1 ? (out[i]! & 0xf0) | v : (v << 4) | (out[i]! & 0x0f);
    n++;
  };
  for (const id of ids) {
    for (let k = 0; k < id.length; k++) {
      const d = id.charCodeAt(k) - 48;
      if (d < 0 || d > 9) throw new Error(`not a decimal ID: ${id.slice(0, 30)}`);
      put(d);
    }
    put(END);
  }
  return out;
}

export function unpackIds(bytes: Uint8Array): string[] {
  const ids: string[] = [];
  let current = '';
  const digits = '0123456789';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    for (const v of [b >> 4, b & 0x0f]) {
      if (v === END) {
        if (current !== '') ids.push(current);
        current = '';
      } else current += digits[v]!;
    }
  }
  return ids;
}

const CODE: Record<CheckRelation, number> = { UNKNOWN: 0, ADDED: 1, BLOCKED: 2, NONE: 3 };
const RELATION_OF: readonly CheckRelation[] = ['UNKNOWN', 'ADDED', 'BLOCKED', 'NONE'];

/** A packed relation array for `count` IDs, all UNKNOWN. */
export const newRelations = (count: number) => new Uint8Array(Math.ceil(count / 4));

export function setRelation(packed: Uint8Array, index: number, relation: CheckRelation) {
  const shift = (index & 3) * 2;
  packed[index >> 2] = (packed[index >> 2]! & ~(3 << shift)) | (CODE[relation] << shift);
}

export const relationCode = (packed: Uint8Array, index: number): number =>
  (packed[index >> 2]! >> ((index & 3) * 2)) & 3;

export const relationAt = (packed: Uint8Array, index: number): CheckRelation =>
  RELATION_OF[relationCode(packed, index)]!;

/** How many IDs have each relation. */
export function relationTotals(packed: Uint8Array, count: number): Record<CheckRelation, number> {
  const totals = Object.fromEntries(CHECK_RELATIONS.map((r) => [r, 0])) as Record<CheckRelation, number>;
  for (let i = 0; i < count; i++) totals[RELATION_OF[relationCode(packed, i)]!]++;
  return totals;
}

/** A snapshot decoded: its IDs in order, and per channel (in `channelIds` order) the packed relations. */
export interface SnapshotData {
  ids: readonly string[];
  channelIds: readonly string[];
  relations: readonly Uint8Array[];
}

/**
 * A snapshot as check rows (the shape a bulk check's results have, for the flow into a customer file): per ID in
 * the snapshot's order, the ID, then per channel its relation and an empty "changed at" (a snapshot does not know
 * when), then the ID's extra cells (`extra`, aligned to the IDs; `columns` cells, blank where a row is short).
 * An ID whose relation was not learned (or a channel without relations) is UNKNOWN.
 */
export function snapshotRows(
  data: SnapshotData,
  extra?: readonly (readonly string[])[],
  columns = 0,
): [userId: string, ...cells: string[]][] {
  return data.ids.map((id, i) => {
    const row: [string, ...string[]] = [id];
    for (let c = 0; c < data.channelIds.length; c++) {
      const packed = data.relations[c];
      row.push(packed && i >> 2 < packed.length ? relationAt(packed, i) : 'UNKNOWN', '');
    }
    const cells = extra?.[i];
    for (let k = 0; k < columns; k++) row.push(cells?.[k] ?? '');
    return row;
  });
}
