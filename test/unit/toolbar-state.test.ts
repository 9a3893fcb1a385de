import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createToolbarCount } from '../../lib/background/badges/toolbar-count';
import { createBrowserToolbar, createToolbar, type StoredToolbarInputs } from '../../lib/background/toolbar';
import { jobsItem } from '../../lib/storage/jobs';
import { DEFAULT_PROFILE_ID } from '../../lib/profiles/model';
import { updateProfile } from '../../lib/profiles/store';
import { clearKey, saveKey } from '../../lib/storage/key-vault';
import { sandboxModeItem } from '../../lib/storage/sandbox-mode';
import { toolbarState, type ToolbarInputs } from '../../lib/background/toolbar-state';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The strings of one locale file's flat sections used here (extName and `toolbar:`, `page:` lines), as i18n keys. */
function locale(lang: 'en' | 'ko'): Record<string, string> {
  const out: Record<string, string> = {};
  let section = '';
  for (const line of fs.readFileSync(path.join(ROOT, 'locales', `${lang}.yml`), 'utf8').split('\n')) {
    const top = /^(\w+):\s*(.*)$/.exec(line);
    if (top) {
      section = top[1]!;
      if (top[2]) out[section] = top[2].replace(/^"(.*)"$/, '$1');
      continue;
    }
    const entry = /^ {2}(\w+): "(.*)"$/.exec(line);
    if (entry) out[`${section}_${entry[1]}`] = entry[2]!.replace(/\\"/g, '"');
  }
  return out;
}

function speak(lang: 'en' | 'ko') {
  const words = locale(lang);
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string, subs?: string | string[]) =>
    [subs ?? []].flat().reduce((text, sub, i) => text.replace(`$${i + 1}`, sub), words[key] ?? `<${key}>`),
  );
}

const base: ToolbarInputs = {
  sandbox: false,
  keySaved: true,
  keyCleared: false,
  keyLocked: false,
  jobPaused: false,
  limitReached: false,
};

describe('toolbarState', () => {
  beforeEach(() => speak('en'));

  it('normal: the plain icon, no badge, the product name as title', () => {
    const state = toolbarState(base);
    expect(state).toMatchObject({ variant: 'normal', badgeText: '', title: 'Channel Desk', stateLine: null });
    expect(state.icon).toEqual({ 16: '/icons/16.png', 32: '/icons/32.png' });
  });

  it('sandbox: the marked icon and a title that says demo data', () => {
    const state = toolbarState({ ...base, sandbox: true, keySaved: false });
    expect(state.variant).toBe('sandbox');
    expect(state.icon).toEqual({ 16: '/icons/sandbox-16.png', 32: '/icons/sandbox-32.png' });
    expect(state.badgeText).toBe('');
    expect(state.title).toBe('Channel Desk\nSandbox: demo data, nothing is sent to Kakao');
  });

  it('no key while the sandbox answers (the first run) is not a problem', () => {
    expect(toolbarState({ ...base, keySaved: false, sandbox: true }).variant).toBe('sandbox');
  });

  it.each([
    [{ keySaved: false }, 'no Admin key saved (sandbox off)'],
    [{ keySaved: false, keyCleared: true }, 'the Admin key was cleared when the browser closed'],
    [{ keyLocked: true }, 'the Admin key is locked: open the popup and enter your PIN'],
    [{ jobPaused: true }, 'a job is paused'],
    [{ limitReached: true }, 'the lookup limit is reached'],
  ] as const)('attention %o: red "!" badge, the attention icon, the title names the reason', (input, reason) => {
    const state = toolbarState({ ...base, ...input });
    expect(state.variant).toBe('attention');
    expect(state.icon).toEqual({ 16: '/icons/attention-16.png', 32: '/icons/attention-32.png' });
    expect(state.badgeText).toBe('!');
    expect(state.badgeColor).toBe('#c62828');
    expect(state.title).toBe(`Channel Desk\nNeeds attention: ${reason}`);
  });

  it('a cleared key is said once (not also as "missing"), and several reasons are all named', () => {
    const state = toolbarState({ ...base, keySaved: false, keyCleared: true, jobPaused: true, limitReached: true });
    expect(state.stateLine).toBe(
      'Needs attention: the Admin key was cleared when the browser closed · a job is paused · ' +
        'the lookup limit is reached',
    );
  });

  it.each([
    [{ keySaved: false }, 'no relay token saved (sandbox off)', '저장된 릴레이 토큰 없음 (샌드박스 꺼짐)'],
    [
      { keySaved: false, keyCleared: true },
      'the relay token was cleared when the browser closed',
      '브라우저를 닫을 때 릴레이 토큰이 지워짐',
    ],
    [
      { keyLocked: true },
      'the relay token is locked: open the popup and enter your PIN',
      '릴레이 토큰이 잠겨 있음: 팝업을 열고 PIN을 입력하세요',
    ],
  ] as const)('a relay profile %o: the title names the relay token, not an Admin key', (input, en, ko) => {
    expect(toolbarState({ ...base, ...input, relay: true }).stateLine).toBe(`Needs attention: ${en}`);
    speak('ko');
    expect(toolbarState({ ...base, ...input, relay: true }).stateLine).toBe(`확인 필요: ${ko}`);
  });

  it('a locked key in the sandbox is not a problem (the sandbox answers without it)', () => {
    expect(toolbarState({ ...base, sandbox: true, keyLocked: true }).variant).toBe('sandbox');
  });

  it('attention wins the icon over the sandbox, and the title still says sandbox', () => {
    const state = toolbarState({ ...base, sandbox: true, jobPaused: true });
    expect(state.variant).toBe('attention');
    expect(state.title).toBe(
      'Channel Desk\nNeeds attention: a job is paused\nSandbox: demo data, nothing is sent to Kakao',
    );
  });

  it('Korean titles', () => {
    speak('ko');
    expect(toolbarState({ ...base, sandbox: true }).stateLine).toBe(
      '샌드박스: 체험용 데이터, 카카오로는 아무것도 보내지 않습니다',
    );
    expect(toolbarState({ ...base, jobPaused: true }).stateLine).toBe('확인 필요: 일시 정지된 작업이 있음');
    expect(toolbarState({ ...base, keyLocked: true }).stateLine).toBe(
      '확인 필요: 어드민 키가 잠겨 있음: 팝업을 열고 PIN을 입력하세요',
    );
  });
});

function fakeAction() {
  return {
    setIcon: vi.fn(async (_: { path: Record<number, string> }) => {}),
    setBadgeText: vi.fn(async (_: { text: string; tabId?: number }) => {}),
    setBadgeBackgroundColor: vi.fn(async (_: { color: string; tabId?: number }) => {}),
    setTitle: vi.fn(async (_: { title: string; tabId?: number }) => {}),
  };
}

describe('createToolbar (wiring)', () => {
  beforeEach(() => speak('en'));

  function setup(initial: StoredToolbarInputs) {
    const action = fakeAction();
    let inputs = initial;
    let changed: () => void = () => {};
    const toolbar = createToolbar({
      action: () => action as never,
      read: async () => inputs,
      watch: (cb) => {
        changed = cb;
      },
    });
    const store = (next: Partial<StoredToolbarInputs>) => {
      inputs = { ...inputs, ...next };
      changed();
    };
    return { action, toolbar, store };
  }

  const stored: StoredToolbarInputs = {
    sandbox: true,
    keySaved: false,
    keyCleared: false,
    keyLocked: false,
    jobPaused: false,
  };

  it('applies the state on start, globally (no tabId), and again when a stored input changes', async () => {
    const { action, toolbar, store } = setup(stored);
    toolbar.start();
    await vi.waitFor(() => expect(action.setTitle).toHaveBeenCalled());
    expect(action.setIcon).toHaveBeenLastCalledWith({
      path: { 16: '/icons/sandbox-16.png', 32: '/icons/sandbox-32.png' },
    });
    expect(action.setTitle.mock.lastCall![0]).toEqual({
      title: 'Channel Desk\nSandbox: demo data, nothing is sent to Kakao',
    });

    store({ sandbox: false, keySaved: true });
    await vi.waitFor(() => expect(action.setTitle).toHaveBeenLastCalledWith({ title: 'Channel Desk' }));
    expect(action.setIcon).toHaveBeenLastCalledWith({ path: { 16: '/icons/16.png', 32: '/icons/32.png' } });
    expect(action.setBadgeText).toHaveBeenLastCalledWith({ text: '' });

    store({ jobPaused: true });
    await vi.waitFor(() => expect(action.setBadgeText).toHaveBeenLastCalledWith({ text: '!' }));
    expect(toolbar.stateLine()).toBe('Needs attention: a job is paused');
  });

  it("setAttention('limit') turns attention on and off", async () => {
    const { action, toolbar } = setup({ ...stored, sandbox: false, keySaved: true });
    await toolbar.setAttention('limit', true);
    expect(action.setTitle).toHaveBeenLastCalledWith({
      title: 'Channel Desk\nNeeds attention: the lookup limit is reached',
    });
    expect(action.setIcon).toHaveBeenLastCalledWith({
      path: { 16: '/icons/attention-16.png', 32: '/icons/attention-32.png' },
    });
    await toolbar.setAttention('limit', false);
    expect(action.setTitle).toHaveBeenLastCalledWith({ title: 'Channel Desk' });
    expect(toolbar.stateLine()).toBeNull();
  });

  it('a failed read is logged, and the next change still applies', async () => {
    const action = fakeAction();
    const log = vi.fn();
    let fail = true;
    const toolbar = createToolbar({
      action: () => action as never,
      read: async () => {
        if (fail) throw new Error('storage is gone');
        return stored;
      },
      watch: () => {},
      log,
    });
    await expect(toolbar.refresh()).rejects.toThrow('storage is gone');
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith(expect.stringContaining('toolbar state was not updated')));
    fail = false;
    await toolbar.refresh();
    expect(action.setIcon).toHaveBeenCalledTimes(1);
  });

  it("a tab's page count keeps its badge and carries the state in its title", async () => {
    const { action, toolbar } = setup({ ...stored, sandbox: false, keySaved: true, jobPaused: true });
    await toolbar.refresh();
    const count = createToolbarCount({ action: () => action as never, stateLine: () => toolbar.stateLine() });
    await count.show(7, { found: 12, friends: 7 });
    expect(action.setBadgeText).toHaveBeenLastCalledWith({ tabId: 7, text: '12/7' });
    expect(action.setTitle).toHaveBeenLastCalledWith({
      tabId: 7,
      title: 'Channel Desk: 12 user IDs on this page, 7 friends\nNeeds attention: a job is paused',
    });
  });
});

describe('createBrowserToolbar (the stored inputs)', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    speak('en');
  });

  const pausedJob = {
    id: 'job-1',
    kind: 'check',
    status: 'paused',
    createdAt: 1,
    updatedAt: 2,
    total: 10,
    batchSize: 200,
    batches: 1,
  };

  it('follows the key, the sandbox mode and the jobs as they are stored', async () => {
    const action = fakeAction();
    fakeBrowser.action = action as never;
    const toolbar = createBrowserToolbar();
    toolbar.start();
    const lastTitle = () => action.setTitle.mock.lastCall?.[0].title;
    // A fresh install: no key, the sandbox answers.
    await vi.waitFor(() => expect(lastTitle()).toBe('Channel Desk\nSandbox: demo data, nothing is sent to Kakao'));

    await saveKey('a'.repeat(32), false);
    await vi.waitFor(() => expect(lastTitle()).toBe('Channel Desk'));

    await jobsItem.setRaw([{ raw: pausedJob }]);
    await vi.waitFor(() => expect(lastTitle()).toBe('Channel Desk\nNeeds attention: a job is paused'));
    await jobsItem.setRaw([{ raw: { ...pausedJob, status: 'done' } }]);
    await vi.waitFor(() => expect(lastTitle()).toBe('Channel Desk'));

    // The session key gone with the browser: asked for again, not the sandbox.
    await fakeBrowser.storage.session.clear();
    await toolbar.refresh();
    expect(lastTitle()).toBe('Channel Desk\nNeeds attention: the Admin key was cleared when the browser closed');

    await clearKey();
    await sandboxModeItem.setValue('off');
    await vi.waitFor(() => expect(lastTitle()).toBe('Channel Desk\nNeeds attention: no Admin key saved (sandbox off)'));
    expect(action.setIcon).toHaveBeenLastCalledWith({
      path: { 16: '/icons/attention-16.png', 32: '/icons/attention-32.png' },
    });

    // The profile switched to a relay: what is missing is its relay token.
    await updateProfile(DEFAULT_PROFILE_ID, { mode: 'relay', relayUrl: 'https://relay.example.com' });
    await vi.waitFor(() =>
      expect(lastTitle()).toBe('Channel Desk\nNeeds attention: no relay token saved (sandbox off)'),
    );
  });

  it("a running job's progress writes redraw nothing; its pause does (issue 14: they competed with the calls)", async () => {
    const action = fakeAction();
    fakeBrowser.action = action as never;
    await saveKey('a'.repeat(32), false);
    const toolbar = createBrowserToolbar();
    toolbar.start();
    const running = { ...pausedJob, status: 'running', total: 2000, batches: 10 };
    await jobsItem.setRaw([{ raw: running }]);
    await vi.waitFor(() => expect(action.setTitle.mock.lastCall?.[0].title).toBe('Channel Desk'));
    await new Promise((r) => setTimeout(r, 50));
    const before = action.setIcon.mock.calls.length;
    for (let done = 1; done <= 8; done++)
      await jobsItem.setRaw([{ raw: { ...running, doneBatches: done, doneItems: done * 200, updatedAt: 2 + done } }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(action.setIcon.mock.calls.length).toBe(before);

    await jobsItem.setRaw([{ raw: { ...running, status: 'paused', doneBatches: 8 } }]);
    await vi.waitFor(() =>
      expect(action.setTitle.mock.lastCall?.[0].title).toBe('Channel Desk\nNeeds attention: a job is paused'),
    );
    expect(action.setIcon.mock.calls.length).toBe(before + 1);
  });
});
