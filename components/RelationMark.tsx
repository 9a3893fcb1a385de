import { i18n } from '#i18n';
import { MARKS } from '@/lib/badges/badge-state';
import type { PageRelation } from '@/lib/badges/relations';

export type RelationState = PageRelation;

/** A relation as mark + word (never colour alone); the same marks as the page badges. */
export function RelationMark({ relation }: { relation: RelationState }) {
  return (
    <span class="relation" data-relation={relation}>
      <span aria-hidden="true">{MARKS[relation]}</span>
      {i18n.t(`relation.${relation}`)}
    </span>
  );
}
