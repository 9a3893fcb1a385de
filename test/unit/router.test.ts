import { defineExtensionMessaging } from '@webext-core/messaging';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KakaoApiError } from '../../lib/kakao/errors';
import { Commands, type CommandInput, type CommandName, type ProtocolMap } from '../../lib/messages/protocol';
import { dispatch, registerHandlers, type HandlerContext, type Handlers } from '../../lib/messages/router';
import type { SenderClass, SenderFacts } from '../../lib/messages/sender';

const identity = {
  id: 'ownextensionidownextensionidabcd',
  origin: 'chrome-extension://ownextensionidownextensionidabcd',
};
type Sender = SenderFacts & { tab?: { id?: number } };
const senders: Record<SenderClass, Sender> = {
  extension: { id: identity.id, origin: identity.origin, frameId: 0 },
  content: { id: identity.id, origin: 'https://shop.example', tab: { id: 7 }, frameId: 0 },
  foreign: { id: 'someotherextensionidsomeotherext', origin: 'chrome-extension://someotherextensionidsomeotherext' },
};

/**
 * Known-good inputs for the commands whose handlers these tests exercise. Commands
 * added later need no entry: the allow-list and strictness tests below iterate the
 * whole table and do not depend on a valid input.
 */
const VALID_INPUT: Partial<{ [K in CommandName]: CommandInput<K> }> = {
  getStatus: {},
  saveSettings: { adminKey: '0123456789abcdef0123456789abcdef', channelIds: ['_ZeUTxl'], rememberKey: false },
  clearKey: {},
  testKey: {},
  checkUser: { userId: '1234567890123456789' },
  getRecentLookups: {},
  unlockKey: { profileId: 'default', pin: '2580' },
  lockKey: { profileId: 'default' },
  setPin: { profileId: 'default', pin: 'new passphrase', currentPin: '2580' },
  removePin: { profileId: 'default', currentPin: '2580' },
  setLockAfter: { profileId: 'default', minutes: 30 },
};

const COMMAND_NAMES = Object.keys(Commands) as CommandName[];

type AnyHandler = (input: any, ctx: HandlerContext) => Promise<unknown>;
interface HandlerCall {
  name: string;
  input: unknown;
  ctx: HandlerContext;
}

/**
 * Handlers for every command in the table (present and future): each records its
 * call and answers with `impl[name]` when given, else `{ handled: name }`.
 */
function fakeHandlers(impl: Partial<Record<CommandName, AnyHandler>> = {}) {
  const calls: HandlerCall[] = [];
  const handlers = new Proxy({} as Handlers, {
    get(_target, name) {
      if (typeof name !== 'string' || !(name in Commands)) return undefined;
      return async (input: unknown, ctx: HandlerContext) => {
        calls.push({ name, input, ctx });
        const own = impl[name as CommandName];
        return own ? own(input, ctx) : { handled: name };
      };
    },
  });
  return { handlers, calls };
}

describe('dispatch: sender allow lists (every command in the table)', () => {
  it('the protocol table is not empty', () => {
    expect(COMMAND_NAMES.length).toBeGreaterThan(0);
  });

  it('no command is ever open to foreign senders', () => {
    for (const name of COMMAND_NAMES) expect(Commands[name].allow).not.toContain('foreign');
  });

  it.each([
    'getStatus',
    'saveSettings',
    'clearKey',
    'testKey',
    'unlockKey',
    'lockKey',
    'setPin',
    'removePin',
    'setLockAfter',
  ] as const)('%s (touches the Admin key) stays extension-only', (name) => {
    expect(Commands[name].allow).toEqual(['extension']);
  });

  for (const name of COMMAND_NAMES) {
    const allow = Commands[name].allow as readonly SenderClass[];
    for (const cls of ['content', 'foreign'] as const) {
      if (allow.includes(cls)) continue;
      it(`${name} is refused from a ${cls} sender and its handler never runs`, async () => {
        const { handlers, calls } = fakeHandlers();
        const reply = await dispatch(name, VALID_INPUT[name] ?? {}, senders[cls], handlers, identity);
        expect(reply).toEqual({ ok: false, refusal: 'refused_sender', detail: expect.stringContaining(name) });
        expect(calls).toHaveLength(0);
      });
    }

    it(`${name} is refused from an undefined sender`, async () => {
      const { handlers, calls } = fakeHandlers();
      const reply = await dispatch(name, VALID_INPUT[name] ?? {}, undefined, handlers, identity);
      expect(reply).toMatchObject({ ok: false, refusal: 'refused_sender' });
      expect(calls).toHaveLength(0);
    });

    it(`${name}: its input schema refuses unknown keys`, async () => {
      const unexpected = { __unexpected_key__: true };
      const parsed = Commands[name].input.safeParse({ ...(VALID_INPUT[name] ?? {}), ...unexpected });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);

      const { handlers, calls } = fakeHandlers();
      const cls = allow[0]!;
      const reply = await dispatch(
        name,
        { ...(VALID_INPUT[name] ?? {}), ...unexpected },
        senders[cls],
        handlers,
        identity,
      );
      expect(reply).toMatchObject({ ok: false, refusal: 'invalid_message', detail: expect.stringContaining(name) });
      expect(calls).toHaveLength(0);
    });
  }

  for (const name of COMMAND_NAMES.filter((n) => VALID_INPUT[n] !== undefined)) {
    it(`${name} runs from an allowed sender with its parsed input and context`, async () => {
      const { handlers, calls } = fakeHandlers();
      const cls = (Commands[name].allow as readonly SenderClass[])[0]!;
      const reply = await dispatch(name, VALID_INPUT[name], senders[cls], handlers, identity);
      expect(reply).toEqual({ ok: true, value: { handled: name } });
      expect(calls).toEqual([
        {
          name,
          input: VALID_INPUT[name],
          ctx: { senderClass: cls, tabId: senders[cls].tab?.id, origin: senders[cls].origin },
        },
      ]);
    });
  }
});

describe('dispatch: input validation', () => {
  it.each<[string, unknown]>([
    ['a leading zero', '0123'],
    ['letters', '12a4'],
    ['21 digits', '1'.repeat(21)],
    ['empty', ''],
    ['a number instead of a string', 1234],
    ['a negative ID', '-5'],
  ])('checkUser refuses a userId with %s', async (_label, userId) => {
    const { handlers, calls } = fakeHandlers();
    const reply = await dispatch('checkUser', { userId }, senders.extension, handlers, identity);
    expect(reply).toMatchObject({ ok: false, refusal: 'invalid_message' });
    expect(calls).toHaveLength(0);
  });

  it('checkUser passes a 19-digit userId through as the same string', async () => {
    const { handlers, calls } = fakeHandlers();
    const reply = await dispatch('checkUser', { userId: '9223372036854775807' }, senders.extension, handlers, identity);
    expect(reply.ok).toBe(true);
    expect(calls[0]!.input).toEqual({ userId: '9223372036854775807' });
  });

  it.each<[string, unknown]>([
    ['a bad channel ID', { channelIds: ['ZeUTxl'], rememberKey: false }],
    ['rememberKey missing', { channelIds: [] }],
    ['an empty key', { adminKey: '   ', channelIds: [], rememberKey: false }],
    ['no input at all', undefined],
  ])('saveSettings refuses %s', async (_label, input) => {
    const { handlers, calls } = fakeHandlers();
    const reply = await dispatch('saveSettings', input, senders.extension, handlers, identity);
    expect(reply).toMatchObject({ ok: false, refusal: 'invalid_message' });
    expect(calls).toHaveLength(0);
  });

  it('trims the admin key before the handler sees it', async () => {
    const { handlers, calls } = fakeHandlers();
    await dispatch(
      'testKey',
      { adminKey: '  0123456789abcdef0123456789abcdef\n' },
      senders.extension,
      handlers,
      identity,
    );
    expect(calls[0]!.input).toEqual({ adminKey: '0123456789abcdef0123456789abcdef' });
  });

  it('a refusal detail never echoes the rejected input value', async () => {
    const { handlers } = fakeHandlers();
    const secret = 'f'.repeat(201);
    const reply = await dispatch('testKey', { adminKey: secret }, senders.extension, handlers, identity);
    expect(reply).toMatchObject({ ok: false, refusal: 'invalid_message' });
    expect(JSON.stringify(reply)).not.toContain(secret);
  });
});

describe('dispatch: handler errors', () => {
  it('a KakaoApiError becomes { ok: false, error } with its code', async () => {
    const { handlers } = fakeHandlers({
      checkUser: async () => {
        throw new KakaoApiError(-401, 401, 'wrong appKey');
      },
    });
    const reply = await dispatch('checkUser', { userId: '1' }, senders.extension, handlers, identity);
    expect(reply).toEqual({ ok: false, error: new KakaoApiError(-401, 401, 'wrong appKey').toInfo() });
    expect(reply.ok === false && 'error' in reply && reply.error.code).toBe(-401);
  });

  it('a plain Error becomes code internal, with no key in it', async () => {
    const key = '0123456789abcdef0123456789abcdef';
    const { handlers } = fakeHandlers({
      getStatus: async () => {
        throw new Error(`storage exploded near KakaoAK ${key}`);
      },
    });
    const reply = await dispatch('getStatus', {}, senders.extension, handlers, identity);
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal', retryable: false } });
    expect(JSON.stringify(reply)).not.toContain(key);
  });
});

describe('registerHandlers over the browser message bus', () => {
  let remove: (() => void) | undefined;
  beforeEach(() => {
    fakeBrowser.reset();
  });
  afterEach(() => {
    remove?.();
    remove = undefined;
  });

  const message = (type: string, data: unknown) => ({ id: 1, type, data, timestamp: Date.now() });

  /** Delivers a message like the browser would and waits for the listener's answer, if any. */
  async function deliver(msg: unknown, sender: Sender) {
    const sendResponse = vi.fn();
    // The real browser passes sendResponse as a third argument; the fake's types only know two.
    const trigger = fakeBrowser.runtime.onMessage.trigger as (...args: unknown[]) => Promise<unknown[]>;
    const returned = await trigger(msg, sender, sendResponse);
    // The listener answers asynchronously; give pending promises a chance to settle.
    await new Promise((r) => setTimeout(r, 10));
    return { returned, sendResponse };
  }

  function register() {
    const fake = fakeHandlers({ getRecentLookups: async () => ['1'] });
    const messenger = defineExtensionMessaging<ProtocolMap>();
    remove = registerHandlers(messenger, fake.handlers, identity);
    return fake.calls;
  }

  it('answers a known command from an extension page', async () => {
    const calls = register();
    const { returned, sendResponse } = await deliver(message('getRecentLookups', {}), senders.extension);
    expect(returned).toContain(true); // keeps the channel open for the async answer
    expect(sendResponse).toHaveBeenCalledWith({ res: { ok: true, value: ['1'] } });
    expect(calls.map((c) => c.name)).toEqual(['getRecentLookups']);
  });

  it('answers a content script with a refusal', async () => {
    const calls = register();
    const { sendResponse } = await deliver(message('checkUser', { userId: '1' }), senders.content);
    expect(sendResponse).toHaveBeenCalledWith({
      res: expect.objectContaining({ ok: false, refusal: 'refused_sender' }),
    });
    expect(calls).toHaveLength(0);
  });

  it('gives no answer to an unknown command', async () => {
    const calls = register();
    const { returned, sendResponse } = await deliver(message('readAdminKey', {}), senders.extension);
    expect(returned).not.toContain(true);
    expect(sendResponse).not.toHaveBeenCalled();
    expect(calls).toHaveLength(0);
    await expect(fakeBrowser.runtime.sendMessage(message('readAdminKey', {}))).resolves.toBeUndefined();
    // Control: a known command does get an answer through the same path.
    await expect(fakeBrowser.runtime.sendMessage(message('getStatus', {}))).resolves.toBeDefined();
  });

  it('gives no answer to a message without type/timestamp', async () => {
    const calls = register();
    const { sendResponse } = await deliver({ type: 'getStatus', data: {} }, senders.extension);
    expect(sendResponse).not.toHaveBeenCalled();
    expect(calls).toHaveLength(0);
  });

  it('stops answering once unregistered', async () => {
    const calls = register();
    remove!();
    remove = undefined;
    const { sendResponse } = await deliver(message('getStatus', {}), senders.extension);
    expect(sendResponse).not.toHaveBeenCalled();
    expect(calls).toHaveLength(0);
  });
});
