import type { FieldType, FileSchema } from '../kakao/schemas';

/*
 * Customer-file schema rules (docs/kakao-api.md §4). Kakao's predefined fields are strings;
 * custom fields are reported to be numbers only (UNCONFIRMED). At most 30 fields
 * (UNCONFIRMED on Kakao's pages). The name rules for custom fields are ours: short,
 * letters/digits/Korean/space/underscore, so they survive CSV headers and Kakao's UI.
 */
export const PREDEFINED_FIELDS = [
  '생년월일',
  '국가',
  '지역',
  '성별',
  '연령',
  '구매금액',
  '포인트',
  '가입일',
  '최근 구매일',
  '응모일',
] as const;
export const MAX_FIELDS = 30;
const MAX_FIELD_NAME = 20;
export const MAX_FILE_NAME = 50;
const CUSTOM_NAME = /^[\p{L}\p{N}_ ]+$/u;

export type SchemaProblem =
  | { code: 'too_many'; max: number }
  | { code: 'empty_name'; index: number }
  | { code: 'name_too_long'; name: string; max: number }
  | { code: 'bad_characters'; name: string }
  | { code: 'duplicate'; name: string }
  | { code: 'predefined_is_string'; name: string };

export interface SchemaField {
  name: string;
  type: FieldType;
}

function isPredefined(name: string): boolean {
  return (PREDEFINED_FIELDS as readonly string[]).includes(name);
}

/** Every problem with a schema being edited; empty when it can be created. */
export function checkSchema(fields: readonly SchemaField[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  if (fields.length > MAX_FIELDS) problems.push({ code: 'too_many', max: MAX_FIELDS });
  const seen = new Set<string>();
  fields.forEach((field, index) => {
    const name = field.name.trim();
    if (!name) return void problems.push({ code: 'empty_name', index });
    if (seen.has(name)) problems.push({ code: 'duplicate', name });
    seen.add(name);
    if (isPredefined(name)) {
      if (field.type !== 'string') problems.push({ code: 'predefined_is_string', name });
      return;
    }
    if (name.length > MAX_FIELD_NAME) problems.push({ code: 'name_too_long', name, max: MAX_FIELD_NAME });
    if (!CUSTOM_NAME.test(name)) problems.push({ code: 'bad_characters', name });
  });
  return problems;
}

export function toFileSchema(fields: readonly SchemaField[]): FileSchema {
  return Object.fromEntries(fields.map((f) => [f.name.trim(), f.type]));
}
