import { describe, expect, it } from 'vitest';
import { classifySender, type SenderClass, type SenderFacts } from '@/lib/messages/sender';

/*
 * The `sender` Firefox hands a runtime.onMessage listener, as recorded from
 * Firefox ESR 153 in test/e2e/firefox.e2e.test.ts: extension pages carry
 * `origin: moz-extension://<uuid>` and `envType: 'addon_child'`; the popup opened
 * as a tab also has `tab`. Content scripts carry the page's origin and
 * `envType: 'content_child'`. `id` is the gecko id, not a generated one.
 */
const GECKO_ID = 'channel-desk@channel-desk.dev';
const OWN_ORIGIN = 'moz-extension://5c0a1f3e-7d2b-4e6a-9c8d-0b1e2f3a4d5c';
const TAB = { id: 3, index: 2, windowId: 1, url: `${OWN_ORIGIN}/popup.html` };
const PAGE_TAB = { id: 7, index: 0, windowId: 1, url: 'https://center-pf.kakao.com/_ZeUTxl' };

const cases: { name: string; sender: SenderFacts | undefined; expected: SenderClass }[] = [
  {
    name: 'popup opened in a tab (as seen in Firefox ESR 153)',
    sender: { id: GECKO_ID, origin: OWN_ORIGIN, envType: 'addon_child', tab: TAB, frameId: 0 },
    expected: 'extension',
  },
  {
    name: 'popup in its panel (no tab)',
    sender: { id: GECKO_ID, origin: OWN_ORIGIN, envType: 'addon_child' },
    expected: 'extension',
  },
  {
    name: 'extension page without origin (older Firefox): envType decides',
    sender: { id: GECKO_ID, envType: 'addon_child', tab: TAB },
    expected: 'extension',
  },
  {
    name: 'content script on a web page',
    sender: {
      id: GECKO_ID,
      origin: 'https://center-pf.kakao.com',
      envType: 'content_child',
      tab: PAGE_TAB,
      frameId: 0,
    },
    expected: 'content',
  },
  {
    name: 'content script without origin: envType decides',
    sender: { id: GECKO_ID, envType: 'content_child', tab: PAGE_TAB },
    expected: 'content',
  },
  {
    name: 'content script in a sandboxed frame (opaque origin)',
    sender: { id: GECKO_ID, origin: 'null', envType: 'content_child', tab: PAGE_TAB, frameId: 12 },
    expected: 'content',
  },
  {
    name: 'facts disagree: our origin but a content context → the less privileged class',
    sender: { id: GECKO_ID, origin: OWN_ORIGIN, envType: 'content_child', tab: TAB },
    expected: 'content',
  },
  {
    name: "another add-on's page with our envType",
    sender: {
      id: 'other@example.org',
      origin: 'moz-extension://00000000-0000-4000-8000-000000000000',
      envType: 'addon_child',
    },
    expected: 'foreign',
  },
  {
    name: 'another add-on claiming our origin',
    sender: { id: 'other@example.org', origin: OWN_ORIGIN, envType: 'addon_child' },
    expected: 'foreign',
  },
  { name: 'no facts at all, in a tab', sender: { id: GECKO_ID, tab: PAGE_TAB }, expected: 'content' },
  { name: 'no sender', sender: undefined, expected: 'foreign' },
];

describe('sender classification with Firefox-shaped senders', () => {
  it.each(cases)('$name → $expected', ({ sender, expected }) => {
    expect(classifySender(sender, GECKO_ID, OWN_ORIGIN)).toBe(expected);
  });

  it('does not trust sender.url: a content script whose url claims to be an extension page stays content', () => {
    const sender = {
      id: GECKO_ID,
      origin: 'https://evil.example',
      envType: 'content_child',
      tab: PAGE_TAB,
      url: `${OWN_ORIGIN}/options.html`,
    };
    expect(classifySender(sender, GECKO_ID, OWN_ORIGIN)).toBe('content');
  });

  it('classifies the same popup identically whether Chrome or Firefox describes it', () => {
    const chrome = {
      id: 'abcdefghijklmnopabcdefghijklmnop',
      origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
      tab: TAB,
    };
    const firefox = { id: GECKO_ID, origin: OWN_ORIGIN, envType: 'addon_child', tab: TAB };
    expect(classifySender(chrome, chrome.id, chrome.origin)).toBe('extension');
    expect(classifySender(firefox, GECKO_ID, OWN_ORIGIN)).toBe('extension');
  });
});
