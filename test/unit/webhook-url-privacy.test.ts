import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { defineParsedItem } from '../../lib/storage/item';
import {
  rememberWebhookTest,
  rememberWebhookUrl,
  webhookHistoryItem,
  webhookUrlsItem,
} from '../../lib/storage/webhook-history';
import { WebhookTestInput } from '../../lib/webhook/tester';
import { webhookUrlProblem } from '../../lib/webhook/sample';
import { z } from 'zod';

/*
 * Issue 11 §4: the webhook history kept the full URL (a receiver's token in the
 * query, a user name and password). URLs with credentials are refused with their
 * own reason; what is remembered has no query, fragment or credentials.
 */

const entry = (url: string) => ({
  at: '2026-11-30T04:00:00.000Z',
  url,
  event: 'added' as const,
  resourceId: 'r1',
  status: 200,
  ms: 12,
  pass: true,
  keySource: 'sandbox' as const,
  keyMasked: '••••cdef',
});

const testInput = (url: string) => ({
  url,
  event: 'added',
  idType: 'app_user_id',
  id: '1234567890',
  channelId: '_ZeUTxl',
  channelUuid: '@myshop',
});

beforeEach(() => fakeBrowser.reset());

describe('webhook URLs with a user name or password', () => {
  it.each([
    'https://user:secret@hooks.example.com/kakao',
    'https://user@hooks.example.com/kakao',
    'http://a:b@127.0.0.1:8080/x',
  ])('refuses %s with its own reason', (url) => {
    expect(webhookUrlProblem(url)).toBe('credentials');
    expect(WebhookTestInput.safeParse(testInput(url)).success).toBe(false); // the background refuses it too
  });

  it('still takes a plain https URL with a query', () => {
    expect(webhookUrlProblem('https://hooks.example.com/kakao?token=abc')).toBeNull();
    expect(WebhookTestInput.safeParse(testInput('https://hooks.example.com/kakao?token=abc')).success).toBe(true);
  });
});

describe('what the history and the per-channel URL keep', () => {
  it('stores the URL without query and fragment', async () => {
    await rememberWebhookTest(entry('https://hooks.example.com/kakao?token=s3cr3t#frag'));
    await rememberWebhookUrl('_ZeUTxl', 'https://hooks.example.com/kakao?token=s3cr3t');
    const stored = JSON.stringify(await fakeBrowser.storage.local.get(null));
    expect(stored).not.toContain('s3cr3t');
    expect(stored).not.toContain('frag');
    expect((await webhookHistoryItem.getValue())[0]!.url).toBe('https://hooks.example.com/kakao');
    expect((await webhookUrlsItem.getValue())._ZeUTxl).toBe('https://hooks.example.com/kakao');
  });

  it('an older history that kept the full URL reads without query, fragment or credentials', async () => {
    const raw = defineParsedItem('local:webhookHistory', z.unknown(), null);
    await raw.setValue([entry('https://u:p@hooks.example.com/kakao?token=s3cr3t#x')]);
    expect((await webhookHistoryItem.getValue())[0]!.url).toBe('https://hooks.example.com/kakao');
  });
});
