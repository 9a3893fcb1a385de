import { useEffect, useMemo, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { UserType } from '@/lib/kakao/client';
import { sniffEncoding, type CsvEncoding, type EncodingGuess } from '@/lib/csv/decode';
import { pasteIsTable, splitIdList } from '@/lib/csv/idlist';
import { parseCsvTextNumbered, previewCsv, streamCsv, type NumberedRowsCallback } from '@/lib/csv/parse';
import type { Workbook } from '@/lib/xlsx/client';
import { fmt } from './JobProgress';

/** What the file inputs take: CSV and Excel workbooks (public contract: `accept` lists .xlsx). */
const FILE_ACCEPT = '.csv,text/csv,text/plain,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An Excel workbook by its name or its first bytes (a zip: "PK"). */
async function isWorkbook(file: File): Promise<boolean> {
  if (/\.xlsx$/i.test(file.name)) return true;
  if (/\.(csv|txt|tsv)$/i.test(file.name)) return false;
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/** The workbook reader (and through it SheetJS), imported only when a workbook is picked. */
const loadWorkbooks = () => import('@/lib/xlsx/client');

/** Rows handed on at a time from a sheet, with a pause between: a 100,000-row sheet keeps the page alive. */
const SHEET_CHUNK = 5000;

/**
 * A file, or pasted text. `idList`: a paste into an ID-only source (bulk check,
 * delete users) that is not a table: its values are split on newlines, commas,
 * semicolons, tabs and spaces (lib/csv/idlist.ts); it has no header row.
 */
export type CsvInput =
  | { kind: 'file'; file: File; encoding: CsvEncoding }
  | { kind: 'xlsx'; file: File; book: Workbook; sheet: string }
  | { kind: 'paste'; text: string; idList?: boolean };

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
  else if (input.kind === 'xlsx') {
    const { rows, places } = await input.book.rows(input.sheet);
    for (let at = 0; at < rows.length; at += SHEET_CHUNK) {
      if (at > 0) await new Promise((r) => setTimeout(r));
      onRows(rows.slice(at, at + SHEET_CHUNK), places.slice(at, at + SHEET_CHUNK));
    }
  } else if (input.idList) {
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
  /** A picked workbook, its chosen sheet, or why it could not be read. */
  const [book, setBook] = useState<Workbook | null>(null);
  const [sheet, setSheet] = useState('');
  const [bookState, setBookState] = useState<'reading' | 'unreadable' | null>(null);

  useEffect(() => {
    let live = true;
    if (mode === 'file' && file && book) {
      void book.rows(sheet).then((all) => {
        if (!live) return;
        const rows = all.rows.slice(0, 6);
        setPreview(rows);
        onChange(rows.length > 0 ? { kind: 'xlsx', file, book, sheet } : null, rows);
      });
    } else if (mode === 'file' && file && bookState) {
      setPreview([]);
      onChange(null, []);
    } else if (mode === 'file' && file) {
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
  }, [mode, file, encoding, text, book, sheet, bookState]);

  const found = useMemo(
    () => (idOnly && mode === 'paste' && text.trim() && !pasteIsTable(text) ? splitIdList(text, idUserType) : null),
    [idOnly, mode, text, idUserType],
  );

  useEffect(() => () => book?.close(), [book]);

  async function pick(f: File | null) {
    setBook(null);
    setBookState(null);
    setFile(f);
    if (!f) return setGuess(null);
    if (await isWorkbook(f)) {
      setGuess(null);
      setBookState('reading');
      try {
        const { openWorkbook } = await loadWorkbooks();
        const b = await openWorkbook(f);
        setSheet(b.sheets[0] ?? '');
        setBook(b);
        setBookState(null);
      } catch {
        setBookState('unreadable');
      }
      return;
    }
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
            accept={FILE_ACCEPT}
            onChange={(e) => void pick(e.currentTarget.files?.[0] ?? null)}
          />
          {file && bookState === 'reading' ? (
            <p class="muted" role="status" data-testid="xlsx-reading">
              {i18n.t('xlsx.reading')}
            </p>
          ) : null}
          {file && bookState === 'unreadable' ? (
            <p class="notice" role="alert" data-testid="xlsx-unreadable">
              {i18n.t('xlsx.unreadable')}
            </p>
          ) : null}
          {file && book ? (
            <div class="mt6">
              {book.sheets.length > 1 ? (
                <div class="row center">
                  <label for="sheet" class="m0">
                    {i18n.t('xlsx.sheet')}
                  </label>
                  <select
                    id="sheet"
                    name="sheet"
                    value={sheet}
                    onChange={(e) => setSheet(e.currentTarget.value)}
                    class="w-auto"
                  >
                    {book.sheets.map((name) => (
                      <option key={name} value={name}>
                        {name}
                      </option>
                    ))}
                  </select>
                </div>
              ) : null}
              <p class="muted" data-testid="xlsx-sheet" data-sheet={sheet}>
                {preview.length > 0 ? i18n.t('xlsx.rowsNote', [sheet]) : i18n.t('xlsx.emptySheet', [sheet])}
              </p>
            </div>
          ) : null}
          {file && !book && !bookState ? (
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
