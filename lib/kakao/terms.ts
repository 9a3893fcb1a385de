/*
 * The product's basic terms, once, without zod (so the popup and content-script
 * bundles can use them). The zod enums are built on these tuples in
 * ./schemas.ts (Relation, CheckRelation, UserType) and in
 * lib/messages/commands/workspace.ts (row error codes); every type is derived.
 */

/** What Kakao answers for a user and a channel (docs/kakao-api.md §3). */
export const RELATIONS = ['ADDED', 'BLOCKED', 'NONE'] as const;

/** A relation as we show and store it: Kakao's, or UNKNOWN when Kakao did not say. */
export const CHECK_RELATIONS = [...RELATIONS, 'UNKNOWN'] as const;
export type CheckRelation = (typeof CHECK_RELATIONS)[number];

export function isCheckRelation(value: unknown): value is CheckRelation {
  return (CHECK_RELATIONS as readonly unknown[]).includes(value);
}

/** How a customer file identifies users: app user IDs or phone numbers (docs/kakao-api.md §5). */
export const USER_TYPES = ['app', 'phone'] as const;
export type UserType = (typeof USER_TYPES)[number];
