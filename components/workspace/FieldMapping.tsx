import { i18n } from '#i18n';
import type { FileSchema } from '@/lib/kakao/schemas';
import type { ColumnMapping } from '@/lib/csv/mapping';

/**
 * A customer file's fields mapped to the table's columns: one `field-<name>` select per schema field, "not sent"
 * first. `from`: the first column offered (the columns before it are not field values, e.g. the carried ID).
 */
export function FieldMapping({
  schema,
  header,
  fields,
  from = 0,
  onChange,
}: {
  schema: FileSchema;
  header: readonly string[];
  fields: ColumnMapping['fields'];
  from?: number;
  onChange: (next: ColumnMapping['fields']) => void;
}) {
  return (
    <>
      {Object.entries(schema).map(([field, type]) => (
        <label key={field}>
          {field}{' '}
          <span class="muted">
            ({type === 'number' ? i18n.t('workspace.schema.number') : i18n.t('workspace.schema.string')})
          </span>
          <select
            name={`field-${field}`}
            value={fields[field] ?? -1}
            onChange={(e) => {
              const v = Number(e.currentTarget.value);
              const { [field]: _dropped, ...next } = fields;
              if (v >= 0) next[field] = v;
              onChange(next);
            }}
          >
            <option value={-1}>{i18n.t('workspace.mapping.notSent')}</option>
            {header.map((h, i) =>
              i < from ? null : (
                <option key={i} value={i}>
                  {h}
                </option>
              ),
            )}
          </select>
        </label>
      ))}
    </>
  );
}
