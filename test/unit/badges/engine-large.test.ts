// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { compileRules } from '../../../lib/badges/detect';
import { createBadgeEngine, type BadgeEngine, type LookupAnswer } from '../../../lib/badges/engine';
import { createBadge } from '../../../lib/badges/render';
import type { UserOutcome } from '../../../lib/badges/relations';

/* Issue 14 §1: a page with many IDs gets its badges in one go, once answered, without blocking the page meanwhile. */

const CHANNEL = '_ZeUTxl';
const IDS = Array.from({ length: 700 }, (_, i) => String(900_000 + i));

function answer(ids: string[]): LookupAnswer {
  const users: Record<string, UserOutcome> = {};
  for (const id of ids)
    users[id] = { channels: [{ channelId: CHANNEL, relation: id.endsWith('1') ? 'ADDED' : 'NONE' }] };
  return { ok: true, value: { selectedChannelId: CHANNEL, users } };
}

const hosts = () => [...document.querySelectorAll('channel-desk-badge[data-kakao-badge-for]')];

let engine: BadgeEngine | undefined;
beforeEach(() => {
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string) => key);
  document.body.innerHTML = IDS.map((id) => `<div><span data-kakao-user-id="${id}">${id}</span></div>`).join('');
});
afterEach(() => {
  engine?.stop();
  engine = undefined;
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

function start(lookup: (ids: string[]) => Promise<LookupAnswer>, inView?: (elements: Element[]) => Promise<boolean[]>) {
  const lookups: string[][] = [];
  engine = createBadgeEngine({
    document,
    rules: compileRules([]),
    createBadge,
    inView,
    lookup: (ids) => {
      lookups.push(ids);
      return lookup(ids);
    },
    reportCounts: () => undefined,
    checkFailedText: () => 'could not check',
  });
  engine.start();
  return lookups;
}

describe('badge engine on a page with many IDs', { timeout: 40_000 }, () => {
  it('asks at once, then puts every badge up together with its answer (not "checking" first)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const lookups = start(async (ids) => (await gate, answer(ids)));
    // The lookups left before any badge was built; the page is not held while 700 badges are built.
    expect(lookups.map((l) => l.length)).toEqual([200, 200, 200, 100]);
    expect(hosts()).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(hosts()).toHaveLength(0); // built off the page, waiting for the answers
    release();
    await vi.waitFor(() => expect(hosts()).toHaveLength(IDS.length), { timeout: 15_000 });
    expect(hosts().filter((h) => !h.hasAttribute('data-relation'))).toEqual([]);
    expect(
      hosts()
        .find((h) => h.getAttribute('data-kakao-badge-for') === '900001')
        ?.getAttribute('data-relation'),
    ).toBe('ADDED');
  });

  it('puts the badges up as "checking" when the answers take long, and draws the answers when they come', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    start(async (ids) => (await gate, answer(ids)));
    await vi.waitFor(() => expect(hosts()).toHaveLength(IDS.length), { timeout: 15_000 });
    expect(hosts().every((h) => !h.hasAttribute('data-relation'))).toBe(true);
    release();
    await vi.waitFor(() => expect(hosts().every((h) => h.hasAttribute('data-relation'))).toBe(true), {
      timeout: 15_000,
    });
  });

  it('puts the badges in view up first and draws their answers, while the others wait off the page', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = new Set(IDS.slice(200)); // the first call answers at once, the others wait
    const asked: Element[][] = [];
    // The "viewport": the rows 300–319 (the user scrolled down a little).
    start(
      async (ids) => (slow.has(ids[0]!) && (await gate), answer(ids)),
      async (elements) => (asked.push(elements), elements.map((_, i) => i >= 300 && i < 320)),
    );
    expect(asked[0]).toHaveLength(IDS.length);
    await vi.waitFor(() => expect(hosts()).toHaveLength(20), { timeout: 15_000 });
    const shown = hosts().map((h) => h.getAttribute('data-kakao-badge-for'));
    expect(shown).toEqual(IDS.slice(300, 320));
    // Still no answer for them: drawn as "checking" while the rest of the page waits off the page.
    await new Promise((r) => setTimeout(r, 200));
    expect(hosts()).toHaveLength(20);
    expect(hosts().every((h) => !h.hasAttribute('data-relation'))).toBe(true);
    release();
    await vi.waitFor(() => expect(hosts()).toHaveLength(IDS.length), { timeout: 15_000 });
    await vi.waitFor(() => expect(hosts().every((h) => h.hasAttribute('data-relation'))).toBe(true), {
      timeout: 15_000,
    });
    expect(
      hosts()
        .find((h) => h.getAttribute('data-kakao-badge-for') === '900301')
        ?.getAttribute('data-relation'),
    ).toBe('ADDED');
  });

  it('draws the badges in view with their answers when they go up, before the rest of the page is answered', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = new Set(IDS.slice(200));
    start(
      async (ids) => (slow.has(ids[0]!) && (await gate), answer(ids)),
      async (elements) => elements.map((_, i) => i < 20),
    );
    // Every badge that appears already shows its answer: no "checking" first, no second layout for it.
    const seen: (string | null)[] = [];
    const watch = new MutationObserver(() => seen.push(...hosts().map((h) => h.getAttribute('data-relation'))));
    watch.observe(document.body, { childList: true, subtree: true });
    await vi.waitFor(() => expect(hosts()).toHaveLength(20), { timeout: 15_000 });
    watch.disconnect();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r === 'ADDED' || r === 'NONE')).toBe(true);
    expect(hosts().map((h) => h.getAttribute('data-kakao-badge-for'))).toEqual(IDS.slice(0, 20));
    release();
    await vi.waitFor(() => expect(hosts()).toHaveLength(IDS.length), { timeout: 15_000 });
  });
});

describe('badge engine: the badges in view go up at their final size', { timeout: 40_000 }, () => {
  it('draws their answers (and the labels those bring) before it waits for the sizes, then puts them up', async () => {
    const events: string[] = [];
    engine = createBadgeEngine({
      document,
      rules: compileRules([]),
      createBadge: (element, userId, options) => {
        const badge = createBadge(element, userId, options);
        const visible = Number(userId) < 900_020;
        return {
          render(state) {
            if (visible) events.push(`render ${state.kind}`);
            badge.render(state);
          },
          attach() {
            if (visible) events.push('attach');
            badge.attach();
          },
        };
      },
      sizeSettled: async () => void events.push('settled'),
      inView: async (elements) => elements.map((_, i) => i < 20),
      lookup: async (ids) => answer(ids),
      reportCounts: () => undefined,
      checkFailedText: () => 'could not check',
    });
    engine.start();
    await vi.waitFor(() => expect(hosts()).toHaveLength(IDS.length), { timeout: 15_000 });
    // A pill's channel label is measured when an answer is drawn; waiting for the sizes before that would put the
    // badges up at the old width and widen them a moment later: a second layout of the whole page.
    const firstAttach = events.indexOf('attach');
    const beforeAttach = events.slice(0, firstAttach);
    expect(beforeAttach.lastIndexOf('render done')).toBeGreaterThan(-1);
    expect(beforeAttach.lastIndexOf('settled')).toBeGreaterThan(beforeAttach.lastIndexOf('render done'));
  });
});
