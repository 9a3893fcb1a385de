import { describe, expect, it } from 'vitest';
import { classifySender, type SenderClass, type SenderFacts } from '../../lib/messages/sender';

const OWN_ID = 'abcdefghijklmnopabcdefghijklmnop';
const OWN_ORIGIN = `chrome-extension://${OWN_ID}`;
const tab = { id: 12, url: 'https://shop.example/orders' };

const cases: [string, SenderFacts | undefined, SenderClass][] = [
  // Chrome: id + origin
  ['Chrome popup/options (own origin, no tab)', { id: OWN_ID, origin: OWN_ORIGIN, frameId: 0 }, 'extension'],
  ['Chrome extension page opened in a tab (own origin + tab)', { id: OWN_ID, origin: OWN_ORIGIN, tab }, 'extension'],
  [
    'Chrome content script (page origin + tab)',
    { id: OWN_ID, origin: 'https://shop.example', tab, frameId: 0 },
    'content',
  ],
  [
    'Chrome content script in a sandboxed frame (origin "null")',
    { id: OWN_ID, origin: 'null', tab, frameId: 3 },
    'content',
  ],
  [
    'Chrome content script without a tab but with a page origin',
    { id: OWN_ID, origin: 'https://shop.example' },
    'content',
  ],
  [
    'a look-alike origin of another extension',
    { id: OWN_ID, origin: 'chrome-extension://otherextensionid' },
    'content',
  ],
  ['own origin with a trailing slash is not the origin', { id: OWN_ID, origin: `${OWN_ORIGIN}/` }, 'content'],
  // Firefox: id + envType, no origin
  ['Firefox extension page (addon_child)', { id: OWN_ID, envType: 'addon_child' }, 'extension'],
  ['Firefox extension page in a tab (addon_child + tab)', { id: OWN_ID, envType: 'addon_child', tab }, 'extension'],
  ['Firefox content script (content_child + tab)', { id: OWN_ID, envType: 'content_child', tab }, 'content'],
  ['Firefox content script (content_child, no tab)', { id: OWN_ID, envType: 'content_child' }, 'content'],
  [
    'a web page origin wins over addon_child',
    { id: OWN_ID, origin: 'https://evil.example', envType: 'addon_child' },
    'content',
  ],
  // Missing facts
  ['no facts beyond the id, no tab (background)', { id: OWN_ID }, 'extension'],
  ['no facts beyond the id, with a tab', { id: OWN_ID, tab }, 'content'],
  ['an unknown envType with a tab', { id: OWN_ID, envType: 'devtools_child', tab }, 'content'],
  ['no sender at all', undefined, 'foreign'],
  ['an empty sender', {}, 'foreign'],
  ['no id but our origin', { origin: OWN_ORIGIN }, 'foreign'],
  // Foreign ids
  [
    'another extension',
    { id: 'otherextensionidotherextensionid', origin: 'chrome-extension://otherextensionidotherextensionid' },
    'foreign',
  ],
  ['another extension claiming our origin', { id: 'otherextensionidotherextensionid', origin: OWN_ORIGIN }, 'foreign'],
  ['another extension (Firefox addon_child)', { id: 'other@addon', envType: 'addon_child' }, 'foreign'],
  ['an id differing only in case', { id: OWN_ID.toUpperCase(), origin: OWN_ORIGIN }, 'foreign'],
];

describe('classifySender', () => {
  it.each(cases)('%s → %s', (_label, sender, expected) => {
    expect(classifySender(sender, OWN_ID, OWN_ORIGIN)).toBe(expected);
  });

  it('ignores sender.url entirely', () => {
    const content = { id: OWN_ID, origin: 'https://shop.example', tab } as SenderFacts & { url: string };
    content.url = `${OWN_ORIGIN}/popup.html`;
    expect(classifySender(content, OWN_ID, OWN_ORIGIN)).toBe('content');
    const page = { id: OWN_ID, origin: OWN_ORIGIN, url: 'https://shop.example/' } as SenderFacts;
    expect(classifySender(page, OWN_ID, OWN_ORIGIN)).toBe('extension');
  });
});
