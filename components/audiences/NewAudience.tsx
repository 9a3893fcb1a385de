import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { collectIds, type PlacedValue, type ValidationSummary } from '@/lib/csv/validate';
import { errorInfo, type KakaoErrorInfo } from '@/lib/kakao/errors';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';
import { readRows, type CsvInput } from '../workspace/CsvSource';
import { idTable, IdSource, type IdPick } from '../workspace/IdSource';
import { DryRunReport } from '../workspace/UsersImport';
import { fmt } from '../workspace/format';
import { audienceStore } from './data';

const sourceName = (input: CsvInput) => (input.kind === 'paste' ? 'paste' : input.file.name.slice(0, 200));

/**
 * A new audience from a CSV, an Excel sheet or a paste (the bulk check's import: encoding, sheet picker, ID
 * column). IDs are normalised and deduplicated with the dry run's rules; the table's other columns are kept beside
 * them. The ID list goes straight into the audience store, then the background checks it and names it.
 */
export function NewAudience() {
  const [name, setName] = useState('');
  const [pick, setPick] = useState<IdPick | null>(null);
  const [summary, setSummary] = useState<ValidationSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [created, setCreated] = useState<{ id: string; count: number; columns: string[] } | null>(null);

  const input = pick?.input ?? null;
  const { header, hasHeader, column: col } = idTable(pick);

  async function create(e: Event) {
    e.preventDefault();
    if (!input) return;
    setBusy(true);
    setError(null);
    setCreated(null);
    const values: PlacedValue[] = [];
    const extra = new Map<string, string[]>();
    const others = hasHeader ? header.map((_, i) => i).filter((i) => i !== col) : [];
    let first = hasHeader;
    try {
      await readRows(input, (rows, places) => {
        rows.forEach((row, i) => {
          if (first && i === 0) return;
          const place = places[i]!;
          const value = row[col] ?? '';
          values.push({ value, place, ...(place.unsafe?.includes(col) ? { unsafe: true } : {}) });
          if (others.length > 0 && !extra.has(value.trim()))
            extra.set(
              value.trim(),
              others.map((k) => row[k] ?? ''),
            );
        });
        first = false;
      });
      const { ids, summary: s } = collectIds(values, 'app', header[col] ?? 'ID');
      setSummary(s);
      if (ids.length === 0) return;
      const { key } = await audienceStore.putList(ids);
      let extraKey: string | undefined;
      if (others.length > 0) {
        extraKey = `extra-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
        await audienceStore.putExtra(
          extraKey,
          ids.map((id) => extra.get(id) ?? others.map(() => '')),
        );
      }
      const columns = others.map((k) => header[k]!.slice(0, 200));
      const r = await call('createAudience', {
        name: name.trim() || i18n.t('audiences.defaultName', [new Date().toLocaleDateString()]),
        listKey: key,
        count: ids.length,
        source: sourceName(input),
        ...(extraKey ? { columns, extraKey } : {}),
      });
      if (r.ok) {
        setCreated({ id: r.value.id, count: r.value.count, columns: r.value.columns });
        setName('');
      } else setError(r.error);
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card mt10" onSubmit={(e) => void create(e)} aria-labelledby="new-audience-title">
      <h2 id="new-audience-title">{i18n.t('audiences.newTitle')}</h2>
      <label>
        {i18n.t('audiences.name')}
        <input
          type="text"
          name="audienceName"
          value={name}
          maxLength={60}
          onInput={(e) => setName(e.currentTarget.value)}
          autoComplete="off"
        />
      </label>
      <IdSource pick={pick} onChange={(next, changed) => (setPick(next), changed === 'source' && setSummary(null))} />
      {summary ? <DryRunReport summary={summary} sheet={input?.kind === 'xlsx' ? input.sheet : undefined} /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {created ? (
        <p role="status" data-testid="audience-created" data-audience-id={created.id} data-count={created.count}>
          {i18n.t('audiences.created', [fmt(created.count)])}{' '}
          {created.columns.length > 0 ? i18n.t('audiences.extraColumns', [created.columns.join(', ')]) : null}{' '}
          <a href={`#/audiences?id=${created.id}`} data-action="open-audience">
            {i18n.t('audiences.open')}
          </a>
        </p>
      ) : null}
      <button type="submit" class="primary mt10" disabled={!input || busy} data-action="create-audience">
        {busy ? i18n.t('audiences.creating') : i18n.t('audiences.create')}
      </button>
    </form>
  );
}
