import { useEffect, useMemo, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { UserType } from '@/lib/kakao/client';
import { sniffEncoding, type CsvEncoding, type EncodingGuess } from '@/lib/csv/decode';
import { pasteIsTable, splitIdList } from '@/lib/csv/idlist';
import { parseCsvTextNumbered, previewCsv, streamCsv, type NumberedRowsCallback } from '@/lib/csv/parse';
import { fmt } from './JobProgress';

/**
 * A file, or pasted text. `idList`: a paste into an ID-only source (bulk check,
 * delete users) that is not a table: its values are split on newlines, commas,
 * semicolons, tabs and spaces (lib/csv/idlist.ts); it has no header row.
 */
export type CsvInput =
  { kind: 'file'; file: File; encoding: CsvEncoding } | { kind: 'paste'; text: string; idList?: boolean };

export const isIdList = (input: CsvInput | null): boolean => input?.kind === 'paste' && input.idList === true;

/**
 * Streams every row of the input (header included) to `onRows`, with the line
 * each row is on in the manager's file or paste. An ID list gives one value a row.
 */
export async function readRows(
  input: CsvInput,
  onRows: NumberedRowsCallback,
  userType: UserType = 'app',
): Promise<void> {
  if (input.kind === 'file') await streamCsv(input.file, input.encoding, onRows);
  else if (input.idList) {
    const { tokens } = splitIdList(input.text, userType);
    onRows(
      tokens.map((t) => [t.value]),
      tokens.map((t) => t.place),
    );
  } else {
    const { rows, places } = parseCsvTextNumbered(input.text);
    onRows(rows, places);
  }
}

/**
 * Picks a CSV file (with its encoding guessed and overridable, and a preview so
 * the user can see Korean decoded right) or pasted text. Reports the input and
 * its first rows. `idOnly`: the source is a list of IDs, so a paste that is not
 * a table is split into values and their count shown.
 */
export function CsvSource({
  onChange,
  pasteLabel,
  idOnly = false,
  idUserType = 'app',
}: {
  onChange: (input: CsvInput | null, preview: string[][]) => void;
  pasteLabel: string;
  idOnly?: boolean;
  idUserType?: UserType;
}) {
  const [mode, setMode] = useState<'file' | 'paste'>('file');
  const [file, setFile] = useState<File | null>(null);
  const [guess, setGuess] = useState<EncodingGuess | null>(null);
  const [encoding, setEncoding] = useState<CsvEncoding>('utf-8');
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<string[][]>([]);

  useEffect(() => {
    let live = true;
    if (mode === 'file' && file) {
      void previewCsv(file, encoding, 5).then((rows) => {
        if (!live) return;
        setPreview(rows);
        onChange({ kind: 'file', file, encoding }, rows);
      });
    } else if (mode === 'paste' && text.trim()) {
      const idList = idOnly && !pasteIsTable(text);
      const rows = idList
        ? splitIdList(text)
            .tokens.slice(0, 6)
            .map((t) => [t.value])
        : parseCsvTextNumbered(text).rows.slice(0, 6);
      setPreview(idList ? [[i18n.t('workspace.report.userId')], ...rows.slice(0, 5)] : rows);
      onChange({ kind: 'paste', text, idList }, rows);
    } else {
      setPreview([]);
      onChange(null, []);
    }
    return () => void (live = false);
  }, [mode, file, encoding, text]);

  const found = useMemo(
    () => (idOnly && mode === 'paste' && text.trim() && !pasteIsTable(text) ? splitIdList(text, idUserType) : null),
    [idOnly, mode, text, idUserType],
  );

  async function pick(f: File | null) {
    setFile(f);
    if (!f) return setGuess(null);
    const g = await sniffEncoding(f);
    setGuess(g);
    setEncoding(g.encoding);
  }

  return (
    <div class="csv-source">
      <div class="tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'file'}
          onClick={() => setMode('file')}
          data-action="source-file"
        >
          {i18n.t('workspace.source.file')}
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'paste'}
          onClick={() => setMode('paste')}
          data-action="source-paste"
        >
          {i18n.t('workspace.source.paste')}
        </button>
      </div>
      {mode === 'file' ? (
        <div>
          <label for="csvFile">{i18n.t('workspace.source.fileLabel')}</label>
          <input
            id="csvFile"
            name="csvFile"
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={(e) => void pick(e.currentTarget.files?.[0] ?? null)}
          />
          {file ? (
            <div class="row center mt6">
              <label for="encoding" class="m0">
                {i18n.t('workspace.source.encoding')}
              </label>
              <select
                id="encoding"
                name="encoding"
                value={encoding}
                onChange={(e) => setEncoding(e.currentTarget.value as CsvEncoding)}
                class="w-auto"
              >
                <option value="utf-8">UTF-8</option>
                <option value="euc-kr">{i18n.t('workspace.source.cp949')}</option>
              </select>
              {guess ? (
                <span class="muted" data-testid="encoding-guess" data-encoding={guess.encoding}>
                  {i18n.t('workspace.source.guess', [
                    guess.encoding === 'euc-kr'
                      ? i18n.t('workspace.source.cp949')
                      : guess.bom
                        ? 'UTF-8 (BOM)'
                        : 'UTF-8',
                  ])}
                </span>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : (
        <div>
          <label for="pasteText">{pasteLabel}</label>
          <textarea
            id="pasteText"
            name="pasteText"
            rows={6}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            spellcheck={false}
            aria-describedby={found ? 'pasteCount' : undefined}
          />
          {found ? (
            <p
              id="pasteCount"
              class="muted"
              aria-live="polite"
              data-testid="paste-count"
              data-ids={found.tokens.length}
              data-lines={found.lines}
            >
              {i18n.t('csvio.pasteFound', [
                found.tokens.length === 1 ? i18n.t('csvio.idsOne') : i18n.t('csvio.ids', [fmt(found.tokens.length)]),
                found.lines === 1 ? i18n.t('csvio.linesOne') : i18n.t('csvio.lines', [fmt(found.lines)]),
              ])}
            </p>
          ) : null}
        </div>
      )}
      {preview.length > 0 ? (
        <div class="table-scroll">
          <table class="data" aria-label={i18n.t('workspace.source.preview')} data-testid="csv-preview">
            <caption class="muted text-left">{i18n.t('workspace.source.preview')}</caption>
            <tbody>
              {preview.map((row, i) => (
                <tr key={i}>{row.map((cell, j) => (i === 0 ? <th key={j}>{cell}</th> : <td key={j}>{cell}</td>))}</tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
