// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { RelationMark } from '@/components/RelationMark';
import { CHECK_RELATIONS } from '@/lib/kakao/terms';

beforeEach(() => {
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string) => name);
});
afterEach(cleanup);

describe('RelationMark', () => {
  it('draws each relation as an inline SVG icon plus its word, with no emoji that a font may lack', () => {
    for (const relation of CHECK_RELATIONS) {
      const { container } = render(<RelationMark relation={relation} />);
      const mark = container.querySelector(`[data-relation="${relation}"]`)!;
      expect(mark.querySelector('svg[aria-hidden="true"]')).not.toBeNull();
      expect(mark.textContent).not.toMatch(/[⛔✓○?]/u);
      expect(mark.textContent?.trim().length).toBeGreaterThan(0);
      cleanup();
    }
  });
});
