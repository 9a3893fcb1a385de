import type { browser } from 'wxt/browser';

/*
 * The keyboard shortcut's selected text. The context menu gets the selection from the
 * click; a shortcut gets nothing, so the background reads `getSelection()` in the active
 * tab. Pressing an extension's shortcut grants `activeTab` for that tab (Chrome and
 * Firefox), which `scripting.executeScript` needs; no host permission is asked for.
 */

/** Runs in the page (every frame we may reach): the selected text, from a form field too. */
function selectedText(): string {
  const active = document.activeElement;
  if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) {
    const { selectionStart, selectionEnd, value } = active;
    if (selectionStart !== null && selectionEnd !== null && selectionEnd > selectionStart)
      return value.slice(selectionStart, selectionEnd);
  }
  return globalThis.getSelection()?.toString() ?? '';
}

/**
 * The selected text in a tab (the top frame's first, else a frame's), '' when nothing is selected, or null when the
 * tab cannot be read (a browser page, the store, a tab the shortcut did not grant).
 */
export async function readSelection(
  scripting: Pick<typeof browser.scripting, 'executeScript'>,
  tabId: number,
): Promise<string | null> {
  const run = (allFrames: boolean) => scripting.executeScript({ target: { tabId, allFrames }, func: selectedText });
  // Frames of other origins may refuse where the top frame does not: then the top frame alone.
  const results = await run(true).catch(() => run(false).catch(() => null));
  if (results === null) return null;
  const texts = results.map((r) => (typeof r.result === 'string' ? r.result : ''));
  return texts.find((t) => t.trim() !== '') ?? '';
}
