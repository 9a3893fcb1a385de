// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRule, compileRules, extractUserId, findUserIds, isEditable } from '../../../lib/badges/detect';

function page(html: string): HTMLElement {
  document.body.innerHTML = html;
  return document.body;
}

describe('ID detection rules', () => {
  it('has one 회원번호 pattern: page code uses lib/kakao/id-format (zod-free) and keeps no copy that could drift', () => {
    const root = join(__dirname, '../../..');
    const dirs = ['lib/badges', 'entrypoints/badges.content'];
    const copies = dirs.flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((f) => /\.tsx?$/.test(f))
        .filter((f) => readFileSync(join(root, dir, f), 'utf8').includes('[1-9][0-9]{0,19}'))
        .map((f) => `${dir}/${f}`),
    );
    expect(copies).toEqual([]);
    expect(readFileSync(join(root, 'lib/badges/detect.ts'), 'utf8')).toContain("from '../kakao/id-format'");
  });

  it('extracts the ID from text, with or without a regex', () => {
    expect(extractUserId(' 1234567890 ', null)).toBe('1234567890');
    expect(extractUserId('1234567890123456789', null)).toBe('1234567890123456789');
    expect(extractUserId('회원 1234', null)).toBeNull();
    expect(extractUserId('0123', null)).toBeNull();
    expect(extractUserId('12.5', null)).toBeNull();
    expect(extractUserId('No. 4821 (VIP)', /No\.\s*(\d+)/)).toBe('4821');
    expect(extractUserId('member 4821', /\d+/)).toBe('4821');
    expect(extractUserId('member none', /\d+/)).toBeNull();
    expect(extractUserId('No. 0999', /No\.\s*(\d+)/)).toBeNull();
  });

  it('checks rules the user types', () => {
    const valid = (s: string) => !s.includes('[[');
    expect(checkRule({ selector: 'td.member' }, valid)).toBeNull();
    expect(checkRule({ selector: ' ' }, valid)).toBe('selector');
    expect(checkRule({ selector: 'td[[' }, valid)).toBe('selector');
    expect(checkRule({ selector: 'td', regex: '(\\d+' }, valid)).toBe('regex');
    expect(checkRule({ selector: 'td', regex: 'ID:(\\d+)' }, valid)).toBeNull();
  });

  it('skips a broken rule and keeps the default attribute rule', () => {
    const rules = compileRules([{ selector: 'td', regex: '(' }, { selector: '.id' }]);
    expect(rules.map((r) => r.selector)).toEqual(['[data-kakao-user-id]', '.id']);
  });

  it('finds opted-in elements and custom-rule elements, once each', () => {
    const root = page(`
      <span data-kakao-user-id="111">Kim</span>
      <span data-kakao-user-id="not-an-id">Lee</span>
      <table><tr><td class="member">No. 222</td><td class="member">no number</td></tr></table>
      <b class="plain">333</b>
    `);
    const rules = compileRules([{ selector: 'td.member', regex: 'No\\.\\s*(\\d+)' }, { selector: 'b.plain' }]);
    const seen = new WeakSet<Element>();
    const first = findUserIds(root, rules, seen);
    expect(first.map((f) => f.userId)).toEqual(['111', '222', '333']);
    // A second scan finds nothing new; a new row is found alone.
    expect(findUserIds(root, rules, seen)).toEqual([]);
    root.insertAdjacentHTML('beforeend', '<span data-kakao-user-id="444"></span>');
    expect(findUserIds(root, rules, seen).map((f) => f.userId)).toEqual(['444']);
  });

  it('ignores editable fields and its own badges', () => {
    const root = page(`
      <input data-kakao-user-id="555" value="555">
      <textarea class="id">666</textarea>
      <div contenteditable="true"><span class="id">777</span></div>
      <div contenteditable="false"><span class="id">888</span></div>
      <span data-kakao-user-id="999" data-kakao-badge-for="999"></span>
    `);
    expect(isEditable(root.querySelector('input')!)).toBe(true);
    const found = findUserIds(root, compileRules([{ selector: '.id' }]), new WeakSet());
    expect(found.map((f) => f.userId)).toEqual(['888']);
  });
});
