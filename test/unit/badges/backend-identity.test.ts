import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { backendIdentity, keyFingerprint } from '../../../lib/background/badges/backend-identity';
import { sandboxModeItem } from '../../../lib/storage/sandbox-mode';
import { saveKey } from '../../../lib/storage/key-vault';

const KEY_A = '0123456789abcdef0123456789abcdef';
const KEY_B = 'fedcba9876543210fedcba9876543210';

beforeEach(() => fakeBrowser.reset());

describe('the page cache’s backend namespace', () => {
  it('is a short fingerprint that tells keys apart and never contains the key', async () => {
    const a = await keyFingerprint(KEY_A);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(await keyFingerprint(KEY_A)).toBe(a);
    expect(await keyFingerprint(KEY_B)).not.toBe(a);
    expect(KEY_A).not.toContain(a);
  });

  it('is "sandbox" while the sandbox answers, and the key’s fingerprint otherwise', async () => {
    expect(await backendIdentity()).toBe('sandbox'); // no key saved: sandbox on by default
    await saveKey(KEY_A, false);
    const real = await backendIdentity();
    expect(real).toBe(`key-${await keyFingerprint(KEY_A)}`);
    expect(real).not.toContain(KEY_A);
    await sandboxModeItem.setValue('on');
    expect(await backendIdentity()).toBe('sandbox');
    await sandboxModeItem.setValue('auto');
    await saveKey(KEY_B, false);
    expect(await backendIdentity()).not.toBe(real);
  });
});
