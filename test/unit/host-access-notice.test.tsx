// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { HostAccessNotice } from '@/components/HostAccessNotice';
import { createFakePermissions } from './fake-permissions';

// The build's API origin in tests is Kakao's default.
const PATTERN = 'https://kapi.kakao.com/*';

let permissions: ReturnType<typeof createFakePermissions>;

beforeEach(() => {
  fakeBrowser.reset();
  permissions = createFakePermissions();
  Object.assign(fakeBrowser.permissions, permissions.api);
  // i18n: answer with the message name and its substitutions, so tests can see which text is shown.
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string, subs?: string | string[]) =>
    [name, ...(subs === undefined ? [] : ([] as string[]).concat(subs))].join('|'),
  );
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('HostAccessNotice (options page)', () => {
  it('stays hidden while access is granted', async () => {
    await permissions.api.request({ origins: [PATTERN] });
    const { container } = render(<HostAccessNotice />);
    await new Promise((r) => setTimeout(r, 20));
    expect(container.querySelector('[data-testid="host-access"]')).toBeNull();
  });

  it('shows the missing access with the API host, and asks the browser within the click', async () => {
    render(<HostAccessNotice />);
    const button = await screen.findByRole('button');
    expect(document.querySelector('[data-host-access="missing"]')?.textContent).toContain('kapi.kakao.com');
    fireEvent.click(button);
    // Synchronously inside the click: Firefox ignores a request made after an await.
    expect(permissions.requests).toEqual([[PATTERN]]);
    await waitFor(() => expect(document.querySelector('[data-host-access="granted"]')).not.toBeNull());
  });

  it('a declined prompt says so and keeps the button', async () => {
    permissions.answer(false);
    render(<HostAccessNotice />);
    fireEvent.click(await screen.findByRole('button'));
    await waitFor(() => expect(document.querySelector('.field-error')?.textContent).toContain('hostAccess_declined'));
    expect(screen.getByRole('button')).toBeTruthy();
  });

  it('appears when access is revoked while the page is open', async () => {
    await permissions.api.request({ origins: [PATTERN] });
    render(<HostAccessNotice />);
    await new Promise((r) => setTimeout(r, 20));
    expect(document.querySelector('[data-testid="host-access"]')).toBeNull();
    await permissions.api.remove({ origins: [PATTERN] });
    await waitFor(() => expect(document.querySelector('[data-host-access="missing"]')).not.toBeNull());
  });
});
