// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AudienceOrigin } from '@/components/audiences/AudienceOrigin';
import { AudienceMeta } from '@/lib/audiences/model';
import type { Status } from '@/lib/messages/protocol';
import { messagesAsKeys } from './dom';

/* An audience says where its IDs came from and, with several profiles, whose key and channels its re-checks use. */

const audience = (fields: Partial<AudienceMeta>) =>
  AudienceMeta.parse({
    id: 'aud-abcd-1234',
    name: 'VIP',
    createdAt: 1,
    updatedAt: 1,
    count: 3,
    listKey: 'l',
    ...fields,
  });

const profile = (id: string, name: string, colour: string) => ({
  id,
  name,
  colour,
  channelIds: ['_ZeUTxl'],
  mode: 'direct',
  keySaved: true,
});

const status = (profiles: ReturnType<typeof profile>[], activeId = profiles[0]!.id) =>
  ({
    key: { saved: true, masked: '••••cdef', remembered: false },
    sandbox: { active: false, mode: 'auto' },
    profiles: { activeId, profiles },
  }) as unknown as Status;

const one = status([profile('default', 'Shop', 'teal')]);
const two = status([profile('default', 'Shop', 'teal'), profile('p-b', 'Agency', 'orange')]);

const shown = (a: AudienceMeta, s: Status) => {
  render(<AudienceOrigin audience={a} status={s} />);
  return {
    source: document.querySelector('[data-audience-source]')?.textContent ?? null,
    profile: document.querySelector('[data-audience-profile]'),
  };
};

beforeEach(() => messagesAsKeys());
afterEach(() => cleanup());

describe('AudienceOrigin', () => {
  it.each([
    ['paste', 'audienceOrigin_paste'],
    ['members 2026-11.csv', 'audienceOrigin_file|members 2026-11.csv'],
    ['고객-목록.xlsx', 'audienceOrigin_file|고객-목록.xlsx'],
    ['https://admin.example.com', 'audienceOrigin_page|https://admin.example.com'],
    ['check-mi3k2x1a-4fz9q1', 'audienceOrigin_check'],
  ])('source %s is said as %s', (source, text) => {
    expect(shown(audience({ source }), one).source).toBe(text);
  });

  it('says nothing for an audience without a source and a single profile', () => {
    render(<AudienceOrigin audience={audience({ source: '' })} status={one} />);
    expect(document.body.textContent).toBe('');
  });

  it('with one profile, no profile is named (there is no other to confuse it with)', () => {
    expect(shown(audience({ source: 'paste', profileId: 'default' }), one).profile).toBeNull();
  });

  it("with several profiles, names the audience's own profile even when another is active", () => {
    const { profile: p } = shown(audience({ source: 'paste', profileId: 'p-b' }), two);
    expect(p?.getAttribute('data-audience-profile')).toBe('p-b');
    expect(p?.textContent).toBe('audienceOrigin_profile|Agency');
  });

  it('an audience of a deleted profile (or made before profiles) names the active one, which its re-checks use', () => {
    expect(shown(audience({ profileId: 'p-gone' }), status(two.profiles!.profiles, 'p-b')).profile?.textContent).toBe(
      'audienceOrigin_profile|Agency',
    );
    cleanup();
    expect(shown(audience({}), two).profile?.textContent).toBe('audienceOrigin_profile|Shop');
  });
});
