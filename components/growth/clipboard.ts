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
