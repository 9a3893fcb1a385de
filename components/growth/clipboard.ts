import { useState } from 'preact/hooks';

/** Copy with a short-lived "Copied" state per item; `failed` when the browser refuses. */
export function useCopy() {
  const [state, setState] = useState<{ id: string; ok: boolean } | null>(null);
  async function copy(id: string, text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setState({ id, ok: true });
    } catch {
      setState({ id, ok: false });
    }
    setTimeout(() => setState((s) => (s?.id === id ? null : s)), 2000);
  }
  return { copy, copiedId: state?.ok ? state.id : null, failedId: state && !state.ok ? state.id : null };
}

/** Saves a Blob as a file from an extension page. */
export function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
