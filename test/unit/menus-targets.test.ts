import { describe, expect, it } from 'vitest';
import { menusApi } from '@/lib/platform/menus';

const fakeMenus = (name: string) => ({ name }) as never;

describe('context menus in each build', () => {
  it('Chrome: contextMenus', () => {
    const contextMenus = fakeMenus('contextMenus');
    expect(menusApi({ contextMenus })).toBe(contextMenus);
  });

  it('Firefox with our "contextMenus" permission: the contextMenus alias (browser.menus is absent)', () => {
    const contextMenus = fakeMenus('contextMenus');
    expect(menusApi({ menus: undefined, contextMenus })).toBe(contextMenus);
  });

  it('Firefox with a "menus" permission: menus, the richer namespace', () => {
    const menus = fakeMenus('menus');
    expect(menusApi({ menus, contextMenus: fakeMenus('contextMenus') })).toBe(menus);
  });

  it('no permission: a clear error instead of an undefined namespace', () => {
    expect(() => menusApi({})).toThrow(/contextMenus/);
  });
});
