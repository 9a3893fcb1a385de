/*
 * Decoding CSV bytes. Korean Excel saves "CSV" as CP949 (a superset of EUC-KR);
 * "CSV UTF-8" adds a BOM; other tools write plain UTF-8. The WHATWG label
 * `euc-kr` decodes CP949 in browsers and in Node, so no decoding library is needed.
 */

export type CsvEncoding = 'utf-8' | 'euc-kr';

export interface EncodingGuess {
  encoding: CsvEncoding;
  /** The bytes start with the UTF-8 byte order mark. */
  bom: boolean;
}

/** How much of a file the guess looks at. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Guesses the encoding from the first bytes: a BOM means UTF-8; bytes that are
 * valid UTF-8 mean UTF-8 (CP949 Hangul is almost never valid UTF-8); anything
 * else is CP949. The user can always override the guess.
 */
export function detectEncoding(head: Uint8Array): EncodingGuess {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bom: true };
  }
  try {
    // stream: true, so a character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bom: false };
  } catch {
    return { encoding: 'euc-kr', bom: false };
  }
}

export async function sniffEncoding(blob: Blob): Promise<EncodingGuess> {
  return detectEncoding(new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer()));
}

/**
 * Decodes a file slice by slice. One streaming TextDecoder carries a multi-byte
 * character cut between two slices over to the next, so a slice boundary never
 * breaks a Korean character. A UTF-8 BOM is dropped.
 */
export async function* decodeSlices(
  blob: Blob,
  encoding: CsvEncoding,
  sliceBytes = 1024 * 1024,
): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  for (let start = 0; start < blob.size; start += sliceBytes) {
    const bytes = new Uint8Array(await blob.slice(start, start + sliceBytes).arrayBuffer());
    const text = decoder.decode(bytes, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
