import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { sniffEncoding, type CsvEncoding, type EncodingGuess } from '@/lib/csv/decode';
import { parseCsvText, previewCsv, streamCsv } from '@/lib/csv/parse';

export type CsvInput = { kind: 'file'; file: File; encoding: CsvEncoding } | { kind: 'paste'; text: string };

/** Streams every row of the input (header included) to `onRows`. */
export async function readRows(input: CsvInput, onRows: (rows: string[][]) => void): Promise<void> {
  if (input.kind === 'file') await streamCsv(input.file, input.encoding, onRows);
  else onRows(parseCsvText(input.text));
}

/**
 * Picks a CSV file (with its encoding guessed and overridable, and a preview so
 * the user can see Korean decoded right) or pasted text. Reports the input and
 * its first rows.
 */
export function CsvSource({ onChange, pasteLabel }: { onChange: (input: CsvInput | null, preview: string[][]) => void; pasteLabel: string }) {
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
      const rows = parseCsvText(text).slice(0, 6);
      setPreview(rows);
      onChange({ kind: 'paste', text }, rows);
    } else {
      setPreview([]);
      onChange(null, []);
    }
    return () => void (live = false);
  }, [mode, file, encoding, text]);

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
        <button type="button" role="tab" aria-selected={mode === 'file'} onClick={() => setMode('file')} data-action="source-file">
          {i18n.t('workspace.source.file')}
        </button>
        <button type="button" role="tab" aria-selected={mode === 'paste'} onClick={() => setMode('paste')} data-action="source-paste">
          {i18n.t('workspace.source.paste')}
        </button>
      </div>
      {mode === 'file' ? (
        <div>
          <label for="csvFile">{i18n.t('workspace.source.fileLabel')}</label>
          <input id="csvFile" name="csvFile" type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void pick(e.currentTarget.files?.[0] ?? null)} />
          {file ? (
            <div class="row" style={{ alignItems: 'center', marginTop: '6px' }}>
              <label for="encoding" style={{ margin: 0 }}>
                {i18n.t('workspace.source.encoding')}
              </label>
              <select id="encoding" name="encoding" value={encoding} onChange={(e) => setEncoding(e.currentTarget.value as CsvEncoding)} style={{ width: 'auto' }}>
                <option value="utf-8">UTF-8</option>
                <option value="euc-kr">{i18n.t('workspace.source.cp949')}</option>
              </select>
              {guess ? (
                <span class="muted" data-testid="encoding-guess" data-encoding={guess.encoding}>
                  {i18n.t('workspace.source.guess', [guess.encoding === 'euc-kr' ? i18n.t('workspace.source.cp949') : guess.bom ? 'UTF-8 (BOM)' : 'UTF-8'])}
                </span>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : (
        <div>
          <label for="pasteText">{pasteLabel}</label>
          <textarea id="pasteText" name="pasteText" rows={6} value={text} onInput={(e) => setText(e.currentTarget.value)} spellcheck={false} />
        </div>
      )}
      {preview.length > 0 ? (
        <div class="table-scroll">
          <table class="data" aria-label={i18n.t('workspace.source.preview')} data-testid="csv-preview">
            <caption class="muted" style={{ textAlign: 'left' }}>
              {i18n.t('workspace.source.preview')}
            </caption>
            <tbody>
              {preview.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (i === 0 ? <th key={j}>{cell}</th> : <td key={j}>{cell}</td>))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
