import { describe, expect, it } from 'vitest';
import { displayProblem, findBrowser, type Machine } from '../../scripts/start-browser';

// `npm start` (scripts/start.ts): which browser it opens, and what a machine without a screen is told.

function machine(platform: NodeJS.Platform, files: string[], env: Record<string, string | undefined> = {}): Machine {
  return { platform, env, exists: (f) => files.includes(f) };
}

describe('npm start finds a browser', () => {
  it('uses CHROME_PATH when it is set, before any usual path', () => {
    const m = machine('linux', ['/usr/bin/chromium', '/opt/my/chrome'], { CHROME_PATH: '/opt/my/chrome' });
    expect(findBrowser(m)).toEqual({ ok: true, path: '/opt/my/chrome' });
  });

  it('reports a CHROME_PATH that points nowhere instead of quietly running another browser', () => {
    const result = findBrowser(machine('linux', ['/usr/bin/chromium'], { CHROME_PATH: '/opt/typo/chrome' }));
    expect(result).toEqual({ ok: false, message: expect.stringContaining('CHROME_PATH is set to /opt/typo/chrome') });
  });

  it('on Linux prefers Chromium, then Chrome, on the usual paths', () => {
    expect(findBrowser(machine('linux', ['/usr/bin/google-chrome', '/usr/bin/chromium']))).toEqual({
      ok: true,
      path: '/usr/bin/chromium',
    });
    expect(findBrowser(machine('linux', ['/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable']))).toEqual({
      ok: true,
      path: '/usr/bin/chromium-browser',
    });
    expect(findBrowser(machine('linux', ['/usr/bin/google-chrome-stable']))).toEqual({
      ok: true,
      path: '/usr/bin/google-chrome-stable',
    });
  });

  it('on macOS looks in /Applications and ~/Applications', () => {
    expect(findBrowser(machine('darwin', ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']))).toEqual({
      ok: true,
      path: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    });
    const home = '/Users/kim/Applications/Chromium.app/Contents/MacOS/Chromium';
    expect(findBrowser(machine('darwin', [home], { HOME: '/Users/kim' }))).toEqual({ ok: true, path: home });
  });

  it('with no browser, says where it looked and how to name one', () => {
    const result = findBrowser(machine('linux', []));
    expect(result.ok).toBe(false);
    const message = (result as { message: string }).message;
    expect(message).toContain('/usr/bin/chromium');
    expect(message).toContain('/usr/bin/google-chrome-stable');
    expect(message).toContain('CHROME_PATH=');
  });
});

describe('npm start on a machine without a display', () => {
  it('Linux with neither DISPLAY nor WAYLAND_DISPLAY gets a clear message', () => {
    expect(displayProblem('linux', {})).toMatch(/no display.*DISPLAY/s);
    expect(displayProblem('linux', { DISPLAY: '  ' })).toContain('xvfb-run npm start');
  });

  it('an X11 or Wayland session, macOS and Windows can show the browser', () => {
    expect(displayProblem('linux', { DISPLAY: ':0' })).toBeNull();
    expect(displayProblem('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(displayProblem('darwin', {})).toBeNull();
    expect(displayProblem('win32', {})).toBeNull();
  });
});
