import { i18n } from '#i18n';
import type { CheckRelation } from '@/lib/kakao/terms';

export type RelationState = CheckRelation;

/*
 * The status icons, drawn inline in the text colour: an emoji such as ⛔ shows as
 * an empty box on systems without an emoji font. Same shapes as the page badges'
 * marks (check, no-entry, empty circle, question mark).
 */
const ICONS: Record<RelationState, preact.JSX.Element> = {
  ADDED: (
    <path
      d="M3 8.5l3.2 3L13 4.5"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    />
  ),
  BLOCKED: (
    <>
      <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" stroke-width="1.8" />
      <path d="M4.8 8h6.4" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
    </>
  ),
  NONE: <circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="1.8" />,
  UNKNOWN: (
    <>
      <path
        d="M5.6 6a2.5 2.5 0 1 1 3.4 2.3c-.7.3-1 .8-1 1.5v.4"
        fill="none"
        stroke="currentColor"
        stroke-width="1.8"
        stroke-linecap="round"
      />
      <circle cx="8" cy="13" r="1.1" fill="currentColor" />
    </>
  ),
};

/** A relation as mark + word (never colour alone). */
export function RelationMark({ relation }: { relation: RelationState }) {
  return (
    <span class="relation" data-relation={relation}>
      <svg class="relation-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
        {ICONS[relation]}
      </svg>
      {i18n.t(`relation.${relation}`)}
    </span>
  );
}
