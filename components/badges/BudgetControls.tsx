import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { BadgeSitesState } from '@/lib/messages/commands/badges';
import { uiLang } from '@/lib/ui-lang';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';
import { ManagedMark } from '../policy/ManagedMark';

const TAB_MAX = 100_000;
const DAY_MAX = 10_000_000;

const whole = (text: string, max: number): number | null => {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= max ? n : null;
};

/**
 * Options: the page lookup budgets (new IDs per tab per minute, page lookups per key per day) and
 * today's use. The background enforces them (lib/badges/lookup-budget.ts); this only sets them.
 */
export function BudgetControls({ state, onSaved }: { state: BadgeSitesState; onSaved: (s: BadgeSitesState) => void }) {
  const { budgets } = state;
  const managed = budgets.managed ?? { tabNewIdsPerMinute: false, pageLookupsPerDay: false };
  const [tabTyped, setTab] = useState(String(budgets.tabNewIdsPerMinute));
  const [dayTyped, setDay] = useState(String(budgets.pageLookupsPerDay));
  // A budget the organisation sets shows (and sends) its value, never a typed one.
  const tab = managed.tabNewIdsPerMinute ? String(budgets.tabNewIdsPerMinute) : tabTyped;
  const day = managed.pageLookupsPerDay ? String(budgets.pageLookupsPerDay) : dayTyped;
  const [invalid, setInvalid] = useState<{ tab: boolean; day: boolean }>({ tab: false, day: false });
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const format = (n: number) => n.toLocaleString(uiLang() === 'ko' ? 'ko-KR' : 'en-US');

  async function save(event: Event) {
    event.preventDefault();
    setSaved(false);
    setError(null);
    const tabValue = whole(tab, TAB_MAX);
    const dayValue = whole(day, DAY_MAX);
    setInvalid({ tab: tabValue === null, day: dayValue === null });
    if (tabValue === null || dayValue === null) return;
    const r = await call('saveLookupBudgets', { tabNewIdsPerMinute: tabValue, pageLookupsPerDay: dayValue });
    if (!r.ok) return setError(r.error);
    onSaved(r.value);
    setSaved(true);
  }

  return (
    <form onSubmit={save} aria-labelledby="budgets-title" data-section="lookup-budgets">
      <h3 id="budgets-title" class="subhead spaced">
        {i18n.t('budgets.title')}
      </h3>
      <p class="muted">{i18n.t('budgets.intro')}</p>
      <p data-testid="budget-usage" data-used={budgets.usedToday} data-budget={budgets.pageLookupsPerDay}>
        {i18n.t('budgets.usage', [format(budgets.usedToday), format(budgets.pageLookupsPerDay)])}
      </p>
      <BudgetField
        name="tabNewIdsPerMinute"
        helpId="tabNewIdsHelp"
        max={TAB_MAX}
        value={tab}
        onInput={setTab}
        invalid={invalid.tab}
        managed={managed.tabNewIdsPerMinute}
        texts={{
          label: i18n.t('budgets.tabLabel'),
          help: i18n.t('budgets.tabHelp'),
          invalid: i18n.t('budgets.tabInvalid'),
        }}
      />
      <BudgetField
        name="pageLookupsPerDay"
        helpId="pageLookupsHelp"
        max={DAY_MAX}
        value={day}
        onInput={setDay}
        invalid={invalid.day}
        managed={managed.pageLookupsPerDay}
        texts={{
          label: i18n.t('budgets.dayLabel'),
          help: i18n.t('budgets.dayHelp'),
          invalid: i18n.t('budgets.dayInvalid'),
        }}
      />
      <button
        type="submit"
        data-action="save-budgets"
        disabled={managed.tabNewIdsPerMinute && managed.pageLookupsPerDay}
      >
        {i18n.t('budgets.save')}
      </button>
      {error ? <ErrorNotice error={error} /> : null}
      <p aria-live="polite" class="success">
        {saved ? `✓ ${i18n.t('budgets.saved')}` : ''}
      </p>
    </form>
  );
}

/** One budget: a number field with its help and, when invalid, its error. */
function BudgetField(props: {
  name: string;
  helpId: string;
  max: number;
  value: string;
  onInput: (value: string) => void;
  invalid: boolean;
  /** Set by the organisation's policy: shown, locked, labelled. */
  managed: boolean;
  texts: { label: string; help: string; invalid: string };
}) {
  const markId = `${props.name}Managed`;
  return (
    <>
      <label for={props.name}>
        {props.texts.label}
        {props.managed ? <ManagedMark id={markId} /> : null}
      </label>
      <input
        id={props.name}
        name={props.name}
        type="number"
        min={1}
        max={props.max}
        class="w120"
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        disabled={props.managed}
        data-managed={props.managed ? 'true' : undefined}
        aria-describedby={props.managed ? `${markId} ${props.helpId}` : props.helpId}
        aria-invalid={props.invalid ? 'true' : 'false'}
      />
      <p id={props.helpId} class="muted">
        {props.texts.help}
      </p>
      {props.invalid ? (
        <p class="field-error" role="alert">
          {props.texts.invalid}
        </p>
      ) : null}
    </>
  );
}
