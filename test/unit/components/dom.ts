import { waitFor } from '@testing-library/preact';
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

/** The first element matching `selector`, waiting until it is there. */
export function find<T extends Element>(selector: string): Promise<T> {
  return waitFor(() => {
    const el = document.querySelector<T>(selector);
    if (!el) throw new Error(`missing ${selector}`);
    return el;
  });
}

/** i18n messages read as their key and substitutions (`name|sub1|sub2`), so tests assert which text is shown. */
export function messagesAsKeys() {
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string, subs?: string | string[]) =>
    [name, ...(subs === undefined ? [] : ([] as string[]).concat(subs))].join('|'),
  );
}
