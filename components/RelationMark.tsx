import { i18n } from '#i18n';

export type RelationState = 'ADDED' | 'BLOCKED' | 'NONE' | 'UNKNOWN';
const MARKS: Record<RelationState, string> = { ADDED: '✓', BLOCKED: '⛔', NONE: '○', UNKNOWN: '?' };

/** A relation as mark + word (never colour alone). */
export function RelationMark({ relation }: { relation: RelationState }) {
  return (
    <span class="relation" data-relation={relation}>
      <span aria-hidden="true">{MARKS[relation]}</span>
      {i18n.t(`relation.${relation}`)}
    </span>
  );
}
