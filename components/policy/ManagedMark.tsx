import { i18n } from '#i18n';
import './policy.css';

/** The label next to a value the organisation set: 조직에서 설정함 / "Set by your organisation". */
export function ManagedMark({ id }: { id?: string }) {
  return (
    <span class="managed-mark" id={id} data-testid="managed-mark">
      {i18n.t('policy.managedMark')}
    </span>
  );
}
