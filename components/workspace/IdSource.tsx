import { i18n } from '#i18n';
import { guessIdColumn, looksHeaderless } from '@/lib/csv/mapping';
import { CsvSource, isIdList, type CsvInput } from './CsvSource';

/** A picked ID source: the input, its first rows, and the column that holds the IDs. */
export interface IdPick {
  input: CsvInput;
  preview: string[][];
  column: number;
}

/**
 * The table's header as the user sees it (its first row, "Column 1…" when it has none, "User ID" for a pasted list),
 * whether the first row is a header to skip, and the ID column (0 for a pasted list).
 */
export function idTable(pick: IdPick | null): { header: string[]; hasHeader: boolean; column: number } {
  if (!pick || isIdList(pick.input))
    return { header: [i18n.t('workspace.report.userId')], hasHeader: false, column: 0 };
  const first = pick.preview[0] ?? [];
  const hasHeader = pick.preview.length > 0 && !looksHeaderless(first);
  return {
    header: hasHeader ? first : first.map((_, i) => i18n.t('workspace.mapping.columnN', [String(i + 1)])),
    hasHeader,
    column: pick.column,
  };
}

/**
 * A list of IDs from a CSV, an Excel sheet or a paste, with the ID column picked from the header (guessed from it
 * first): the bulk check's and a new audience's source. `changed`: a new source, or only another column.
 */
export function IdSource({
  pick,
  onChange,
}: {
  pick: IdPick | null;
  onChange: (next: IdPick | null, changed: 'source' | 'column') => void;
}) {
  const { header } = idTable(pick);
  return (
    <>
      <CsvSource
        pasteLabel={i18n.t('workspace.check.pasteLabel')}
        idOnly
        onChange={(input, preview) =>
          onChange(
            input && {
              input,
              preview,
              column:
                !isIdList(input) && preview.length > 0 && !looksHeaderless(preview[0]!)
                  ? guessIdColumn(preview[0]!)
                  : 0,
            },
            'source',
          )
        }
      />
      {pick && header.length > 1 ? (
        <label>
          {i18n.t('workspace.mapping.idColumn')}
          <select
            name="idColumn"
            value={pick.column}
            onChange={(e) => onChange({ ...pick, column: Number(e.currentTarget.value) }, 'column')}
          >
            {header.map((h, i) => (
              <option key={i} value={i}>
                {h}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </>
  );
}
