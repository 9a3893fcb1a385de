import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import {
  checkSchema,
  MAX_FIELDS,
  MAX_FILE_NAME,
  PREDEFINED_FIELDS,
  toFileSchema,
  type SchemaField,
  type SchemaProblem,
} from '@/lib/csv/schema';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';

function problemText(p: SchemaProblem): string {
  switch (p.code) {
    case 'too_many':
      return i18n.t('workspace.schema.tooMany', [String(p.max)]);
    case 'empty_name':
      return i18n.t('workspace.schema.emptyName', [String(p.index + 1)]);
    case 'name_too_long':
      return i18n.t('workspace.schema.nameTooLong', [p.name, String(p.max)]);
    case 'bad_characters':
      return i18n.t('workspace.schema.badCharacters', [p.name]);
    case 'duplicate':
      return i18n.t('workspace.schema.duplicate', [p.name]);
    case 'predefined_is_string':
      return i18n.t('workspace.schema.predefinedString', [p.name]);
  }
}

/**
 * Registers a customer file. The schema cannot be changed later, so the last
 * step shows the final schema and asks for confirmation. Creation is sent once:
 * on an error the user decides whether to try again.
 */
export function NewFileForm({
  channelId,
  profileId,
  onCreated,
  onCancel,
}: {
  channelId: string;
  /** The profile whose key creates the file (an audience's); absent: the active one. */
  profileId?: string;
  onCreated: (fileId: string) => void;
  onCancel: () => void;
}) {
  const [fileName, setFileName] = useState('');
  const [predefined, setPredefined] = useState<string[]>([]);
  const [custom, setCustom] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);

  const fields: SchemaField[] = [
    ...PREDEFINED_FIELDS.filter((f) => predefined.includes(f)).map((name) => ({ name, type: 'string' as const })),
    ...custom.map((name) => ({ name, type: 'number' as const })),
  ];
  const problems = checkSchema(fields);
  const nameError =
    fileName.trim() === ''
      ? i18n.t('workspace.schema.fileNameRequired')
      : fileName.trim().length > MAX_FILE_NAME
        ? i18n.t('workspace.schema.fileNameTooLong', [String(MAX_FILE_NAME)])
        : null;

  async function create() {
    setCreating(true);
    setError(null);
    const r = await call('createCustomerFile', {
      channelId,
      ...(profileId ? { profileId } : {}),
      fileName: fileName.trim(),
      schema: toFileSchema(fields),
    });
    setCreating(false);
    if (r.ok) onCreated(r.value.fileId);
    else setError(r.error);
  }

  if (confirming) {
    return (
      <section class="card" aria-labelledby="confirm-title" data-testid="confirm-schema">
        <h2 id="confirm-title">{i18n.t('workspace.schema.confirmTitle')}</h2>
        <p class="notice">{i18n.t('workspace.schema.confirmWarning')}</p>
        <p>
          {i18n.t('workspace.schema.fileName')}: <strong>{fileName.trim()}</strong> · {channelId}
        </p>
        {fields.length > 0 ? (
          <table class="data narrow">
            <thead>
              <tr>
                <th>{i18n.t('workspace.schema.field')}</th>
                <th>{i18n.t('workspace.schema.type')}</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((f) => (
                <tr key={f.name}>
                  <td>{f.name}</td>
                  <td>{f.type === 'number' ? i18n.t('workspace.schema.number') : i18n.t('workspace.schema.string')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">{i18n.t('workspace.schema.noFields')}</p>
        )}
        {error ? <ErrorNotice error={error} /> : null}
        <div class="row mt10">
          <button type="button" onClick={() => setConfirming(false)} disabled={creating}>
            {i18n.t('workspace.schema.back')}
          </button>
          <button
            type="button"
            class="primary"
            onClick={() => void create()}
            disabled={creating}
            data-action="confirm-create"
          >
            {creating ? i18n.t('workspace.schema.creating') : i18n.t('workspace.schema.create')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <form
      class="card"
      aria-labelledby="new-file-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (!nameError && problems.length === 0) setConfirming(true);
      }}
    >
      <h2 id="new-file-title">{i18n.t('workspace.schema.title')}</h2>
      <label for="fileName">{i18n.t('workspace.schema.fileName')}</label>
      <input
        id="fileName"
        name="fileName"
        type="text"
        maxLength={MAX_FILE_NAME + 10}
        value={fileName}
        onInput={(e) => setFileName(e.currentTarget.value)}
      />
      {nameError && fileName !== '' ? <p class="field-error">{nameError}</p> : null}
      <fieldset>
        <legend>{i18n.t('workspace.schema.predefined')}</legend>
        <div class="chips">
          {PREDEFINED_FIELDS.map((f) => (
            <label class="inline chip" key={f}>
              <input
                type="checkbox"
                name="predefinedField"
                value={f}
                checked={predefined.includes(f)}
                onChange={(e) =>
                  setPredefined(e.currentTarget.checked ? [...predefined, f] : predefined.filter((x) => x !== f))
                }
              />
              {f}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{i18n.t('workspace.schema.custom')}</legend>
        <p class="muted">{i18n.t('workspace.schema.customHelp')}</p>
        {custom.map((name, i) => (
          <div class="row mb4" key={i}>
            <input
              type="text"
              class="grow"
              name="customField"
              aria-label={i18n.t('workspace.schema.customName', [String(i + 1)])}
              value={name}
              onInput={(e) => setCustom(custom.map((c, j) => (j === i ? e.currentTarget.value : c)))}
            />
            <button
              type="button"
              onClick={() => setCustom(custom.filter((_, j) => j !== i))}
              aria-label={i18n.t('workspace.schema.remove', [name || String(i + 1)])}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => setCustom([...custom, ''])}
          disabled={fields.length >= MAX_FIELDS}
          data-action="add-custom-field"
        >
          + {i18n.t('workspace.schema.addCustom')}
        </button>
      </fieldset>
      <p class="muted">{i18n.t('workspace.schema.count', [String(fields.length), String(MAX_FIELDS)])}</p>
      {problems.map((p, i) => (
        <p class="field-error" role="alert" key={i}>
          {problemText(p)}
        </p>
      ))}
      <div class="row">
        <button type="button" onClick={onCancel}>
          {i18n.t('workspace.schema.cancel')}
        </button>
        <button type="submit" class="primary" disabled={!!nameError || problems.length > 0} data-action="review-schema">
          {i18n.t('workspace.schema.review')}
        </button>
      </div>
    </form>
  );
}
