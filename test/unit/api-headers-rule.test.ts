import { describe, expect, it } from 'vitest';
import {
  afterRule,
  apiHeadersRule,
  installApiHeadersRule,
  API_HEADERS_RULE_ID,
  type ApiHeadersRule,
} from '../../lib/platform/api-headers-rule';

// The rule that strips Origin/Referer from the extension's own API calls (issue 10 §6). That the
// browsers apply it is asserted end to end (workspace and firefox-workspace e2e); here: its scope.

/** A fake session-rule store that behaves like the browsers' (IDs are unique). */
function fakeDnr() {
  const rules = new Map<number, ApiHeadersRule>();
  return {
    rules,
    async updateSessionRules({
      removeRuleIds = [],
      addRules = [],
    }: {
      removeRuleIds?: number[];
      addRules?: ApiHeadersRule[];
    }) {
      for (const id of removeRuleIds) rules.delete(id);
      for (const rule of addRules) {
        if (rules.has(rule.id)) throw new Error(`Rule with id ${rule.id} does not have a unique ID.`);
        rules.set(rule.id, rule);
      }
    },
  };
}

describe('the API header rule', () => {
  it('removes Origin and Referer only on the API origin (port included), for requests the extension makes outside tabs', () => {
    const rule = apiHeadersRule('http://127.0.0.1:8123', 'gpnddebhjjclfmfiabmjgdalocbfopba');
    expect(rule.action).toEqual({
      type: 'modifyHeaders',
      requestHeaders: [
        { header: 'origin', operation: 'remove' },
        { header: 'referer', operation: 'remove' },
      ],
    });
    expect(rule.condition).toEqual({
      urlFilter: '|http://127.0.0.1:8123/',
      requestDomains: ['127.0.0.1'],
      initiatorDomains: ['gpnddebhjjclfmfiabmjgdalocbfopba'],
      tabIds: [-1],
      resourceTypes: ['xmlhttprequest', 'other'],
    });
  });

  it('follows the build’s API origin (Kakao’s by default)', () => {
    const rule = apiHeadersRule('https://kapi.kakao.com', '5c0a1f3e-7d2b-4e6a-9c8d-0b1e2f3a4d5c');
    expect(rule.condition.urlFilter).toBe('|https://kapi.kakao.com/');
    expect(rule.condition.requestDomains).toEqual(['kapi.kakao.com']);
    expect(rule.condition.initiatorDomains).toEqual(['5c0a1f3e-7d2b-4e6a-9c8d-0b1e2f3a4d5c']);
  });

  it('installing twice (every background start) leaves one rule, for the latest origin', async () => {
    const dnr = fakeDnr();
    await installApiHeadersRule(dnr, 'http://127.0.0.1:8123', 'ext');
    await installApiHeadersRule(dnr, 'https://kapi.kakao.com', 'ext');
    expect([...dnr.rules.keys()]).toEqual([API_HEADERS_RULE_ID]);
    expect(dnr.rules.get(API_HEADERS_RULE_ID)!.condition.urlFilter).toBe('|https://kapi.kakao.com/');
  });

  it('no API call leaves before the rule is in place; a refused rule does not stop calls', async () => {
    const sent: string[] = [];
    const fetchImpl = (async (input: RequestInfo | URL) => {
      sent.push(String(input));
      return new Response('{}');
    }) as typeof fetch;
    let install!: () => void;
    const fetchAfter = afterRule(fetchImpl, new Promise<void>((resolve) => (install = resolve)));
    const call = fetchAfter('https://kapi.kakao.com/v2/api/talk/channels');
    await new Promise((r) => setTimeout(r, 10));
    expect(sent).toEqual([]);
    install();
    await call;
    expect(sent).toEqual(['https://kapi.kakao.com/v2/api/talk/channels']);

    const refused = afterRule(fetchImpl, Promise.reject(new Error('no DNR')));
    await refused('https://kapi.kakao.com/x');
    expect(sent).toHaveLength(2);
  });
});
