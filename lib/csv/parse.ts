import Papa from 'papaparse';
import { decodeSlices, type CsvEncoding } from './decode';

/*
 * Streaming CSV parsing with papaparse. Papa's own File reader decodes each slice
 * separately (a Korean character cut at a slice edge turns into garbage), so the
 * bytes are decoded here with one streaming decoder and handed to Papa through its
 * readable-stream input, one decoded slice at a time: the whole file never
 * exists as one string.
 */

export type RowsCallback = (rows: string[][]) => void;

/** A minimal readable stream, enough for Papa's ReadableStreamStreamer. */
function textStream(pieces: AsyncIterable<string>) {
  const listeners: Record<string, ((arg?: unknown) => void)[]> = { data: [], end: [], error: [] };
  const emit = (event: string, arg?: unknown) => [...(listeners[event] ?? [])].forEach((cb) => cb(arg));
  let paused = false;
  let wake: (() => void) | null = null;
  const stream = {
    readable: true as const,
    read() {},
    on(event: string, cb: (arg?: unknown) => void) {
      (listeners[event] ??= []).push(cb);
      return stream;
    },
    removeListener(event: string, cb: (arg?: unknown) => void) {
      listeners[event] = (listeners[event] ?? []).filter((x) => x !== cb);
      return stream;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      wake?.();
    },
  };
  void (async () => {
    try {
      for await (const piece of pieces) {
        while (paused) await new Promise<void>((r) => (wake = r));
        emit('data', piece);
      }
      emit('end');
    } catch (err) {
      emit('error', err);
    }
  })();
  return stream;
}

/**
 * Parses a CSV file in a stream: `onRows` gets every parsed row (header row
 * included, in file order), a chunk at a time. Empty lines are skipped.
 */
export function streamCsv(blob: Blob, encoding: CsvEncoding, onRows: RowsCallback, sliceBytes?: number): Promise<{ rows: number }> {
  return new Promise((resolve, reject) => {
    let count = 0;
    Papa.parse<string[]>(textStream(decodeSlices(blob, encoding, sliceBytes)) as unknown as File, {
      header: false,
      skipEmptyLines: 'greedy',
      chunk(result) {
        count += result.data.length;
        onRows(result.data);
      },
      complete: () => resolve({ rows: count }),
      error: (err: Error) => reject(err),
    });
  });
}

/** Parses pasted text (already in memory). */
export function parseCsvText(text: string): string[][] {
  return Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: 'greedy' }).data;
}

/** The header and the first rows of a file, for the mapping step. */
export async function previewCsv(blob: Blob, encoding: CsvEncoding, rows = 5): Promise<string[][]> {
  const out: string[][] = [];
  let text = '';
  for await (const piece of decodeSlices(blob.slice(0, 256 * 1024), encoding)) text += piece;
  for (const row of parseCsvText(text)) {
    if (out.length > rows) break;
    out.push(row);
  }
  return out;
}
