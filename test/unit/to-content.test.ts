import { describe, expect, it } from 'vitest';
import { ToContentMessage } from '../../lib/messages/to-content';
import { isToContentMessage, TO_CONTENT_TYPE } from '../../lib/messages/to-content-guard';

const type = TO_CONTENT_TYPE;
const valid = [
  { type, kind: 'invalid', text: 'order #12' },
  { type, kind: 'failed', text: '확인하지 못했습니다' },
  { type, kind: 'recheck' },
  {
    type,
    kind: 'result',
    userId: '4242',
    selectedChannelId: '_frxjem',
    outcome: { channels: [{ channelId: '_frxjem', relation: 'ADDED' }] },
  },
  {
    type,
    kind: 'result',
    userId: '4242',
    selectedChannelId: null,
    outcome: { error: { code: -401, message: { ko: '키', en: 'key' } } },
  },
];
const invalid = [
  null,
  'recheck',
  { kind: 'recheck' },
  { type: 'other', kind: 'recheck' },
  { type, kind: 'toast', text: 'x' },
  { type, kind: 'invalid' },
  { type, kind: 'failed', text: 3 },
  { type, kind: 'result', userId: 4242, selectedChannelId: null, outcome: { channels: [] } },
  { type, kind: 'result', userId: '4242', selectedChannelId: null, outcome: null },
];

describe('background → content-script messages', () => {
  it('the content script accepts every message the schema declares', () => {
    for (const m of valid) {
      expect(ToContentMessage.safeParse(m).success).toBe(true);
      expect(isToContentMessage(m)).toBe(true);
    }
  });

  it('the content script ignores what the schema refuses', () => {
    for (const m of invalid) {
      expect(ToContentMessage.safeParse(m).success).toBe(false);
      expect(isToContentMessage(m)).toBe(false);
    }
  });
});
