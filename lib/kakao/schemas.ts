import { z } from 'zod';

/*
 * Response schemas for the Kakao Talk Channel REST API. Where the spec marks a
 * shape UNCONFIRMED the schema is tolerant, and each such choice is commented here,
 * in one place, so it is easy to correct.
 */

/** Kakao sends user_id as a JSON number that may exceed 2^53; see `parseJsonKeepingIds`. */
const IdString = z.union([z.string(), z.number().int()]).transform((v) => String(v));

/** RFC 3339; Kakao uses UTC with `Z` and no fraction, but any offset is accepted. */
const Timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an RFC 3339 time');

export const Relation = z.enum(['ADDED', 'BLOCKED', 'NONE']);
export type Relation = z.infer<typeof Relation>;

/** Relation plus UNKNOWN: the SDKs keep an unknown fallback for values Kakao may add. */
const RelationTolerant = z
  .string()
  .transform((v) => (Relation.options.includes(v as Relation) ? (v as Relation) : ('UNKNOWN' as const)));

export const ChannelRelation = z.object({
  channel_uuid: z.string().optional(),
  channel_public_id: z.string(),
  relation: RelationTolerant,
  /** Left out when relation is NONE (Kakao fixture). */
  updated_at: Timestamp.optional().nullable(),
});
export type ChannelRelation = z.infer<typeof ChannelRelation>;

export const UserRelationship = z.object({
  user_id: IdString,
  channels: z.array(ChannelRelation),
});
export type UserRelationship = z.infer<typeof UserRelationship>;

/** /multi returns a JSON array, one element per user (order UNCONFIRMED: matched by user_id). */
export const MultiRelationship = z.array(UserRelationship);

export const FieldType = z.enum(['string', 'number']);
export type FieldType = z.infer<typeof FieldType>;
export const FileSchema = z.record(z.string(), FieldType);
export type FileSchema = z.infer<typeof FileSchema>;

export const CreateFileResponse = z.object({ file_id: IdString });

/** View files. `update_at` spelling and the `status` values are UNCONFIRMED: accept both spellings, any status. */
export const CustomerFile = z
  .object({
    file_id: IdString,
    file_name: z.string(),
    status: z.string().optional(),
    update_at: z.string().optional(),
    updated_at: z.string().optional(),
    schema: z.record(z.string(), z.string()).optional().default({}),
  })
  .transform(({ update_at, updated_at, ...rest }) => ({ ...rest, updated_at: updated_at ?? update_at }));
export type CustomerFile = z.infer<typeof CustomerFile>;

export const CustomerFileList = z.object({
  empty_slot: z.number().int().nonnegative().optional(),
  using_slot: z.number().int().nonnegative().optional(),
  results: z.array(CustomerFile).default([]),
});
export type CustomerFileList = z.infer<typeof CustomerFileList>;

/**
 * Add/delete users. The tolerant answers (counts as numeric strings, an echoed `file_id`,
 * a delete answer without counts) and their API-log names are in ./write-tolerance.ts.
 */
export { AddUsersAnswer, DeleteUsersAnswer } from './write-tolerance';

/** Kakao's error body: `{code, msg}` plus optional -402 extras. */
export const KakaoErrorBody = z.object({
  code: z.number().int(),
  msg: z.string().optional().default(''),
});

/**
 * JSON.parse that keeps integer literals longer than 15 digits as strings, so a
 * 19-digit user_id survives. Only bare numbers in `"user_id":` / `"file_id":` /
 * `"id":` positions are quoted.
 */
export function parseJsonKeepingIds(text: string): unknown {
  const quoted = text.replace(/("(?:user_id|file_id|id)"\s*:\s*)(-?\d{16,})/g, '$1"$2"');
  return JSON.parse(quoted);
}
