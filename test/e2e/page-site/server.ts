import http from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A stand-in for a company's internal admin page, served on 127.0.0.1. It lists
 * user IDs the two supported ways (the opt-in attribute and a custom-rule cell),
 * repeats some, adds rows after load like an infinite list, keeps IDs in form
 * fields (which must be ignored), and runs a hostile script that tries to make
 * the extension look IDs up or leak what it knows.
 */

export const HOSTILE_ID = '9999999999';
export const EDITABLE_ID = '8999999999';

export interface TestPagePlan {
  /** Distinct IDs, in order. */
  ids: string[];
  /** How many of them are in the HTML at load; the rest are added by script after load. */
  initial: number;
  /** IDs shown as `<td class="member">No. …</td>` (custom rule) instead of the attribute. */
  memberCells: Set<string>;
  /** IDs repeated once more (duplicates), initially and in the late rows. */
  repeats: string[];
  lateRepeats: string[];
  lateDelayMs: number;
}

function row(id: string, plan: TestPagePlan): string {
  return plan.memberCells.has(id)
    ? `<tr><td>고객</td><td class="member">No. ${id}</td></tr>`
    : `<tr><td>고객</td><td><span data-kakao-user-id="${id}">${id}</span></td></tr>`;
}

export function renderTestPage(plan: TestPagePlan): string {
  const initialRows = [...plan.ids.slice(0, plan.initial), ...plan.repeats].map((id) => row(id, plan)).join('\n');
  const lateRows = [...plan.ids.slice(plan.initial), ...plan.lateRepeats].map((id) => row(id, plan)).join('');
  return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>주문 관리 (test admin)</title>
<style>
  body { font: 14px/1.5 system-ui, sans-serif; margin: 16px; color: #222; }
  table { border-collapse: collapse; } td { border-bottom: 1px solid #ddd; padding: 4px 10px; }
  /* Page CSS that would wreck an unprotected badge (it must not reach inside). */
  span, div, button { text-transform: uppercase !important; letter-spacing: 3px !important; display: block !important;
    border: 2px dashed red !important; }
  td span { display: inline !important; border: 0 !important; letter-spacing: normal !important; }
</style></head><body>
<h1>주문 관리</h1>
<table id="rows"><tbody>
${initialRows}
</tbody></table>
<form><label>메모 <input name="memo" data-kakao-user-id="${EDITABLE_ID}" value="${EDITABLE_ID}"></label>
<textarea class="member">No. ${EDITABLE_ID}</textarea></form>
<div contenteditable="true"><span data-kakao-user-id="${EDITABLE_ID}">${EDITABLE_ID}</span></div>
<script>
  setTimeout(() => {
    document.querySelector('#rows tbody').insertAdjacentHTML('beforeend', ${JSON.stringify(lateRows)});
    document.body.dataset.lateRows = 'added';
  }, ${plan.lateDelayMs});

  // Hostile: try to reach the extension or read what it knows.
  const report = { attempts: [] };
  window.__hostileReport = report;
  const ids = { userIds: ['${HOSTILE_ID}'] };
  window.postMessage({ id: 1, type: 'lookupRelations', data: ids, timestamp: Date.now() }, '*');
  window.postMessage({ type: 'channel-desk/page', kind: 'recheck' }, '*');
  window.postMessage(
    { type: 'channel-desk/page', kind: 'result', userId: '${HOSTILE_ID}', outcome: { channels: [] } },
    '*',
  );
  document.dispatchEvent(new CustomEvent('lookupRelations', { detail: ids }));
  window.dispatchEvent(new CustomEvent('channel-desk:lookup', { detail: ids }));
  report.attempts.push('postMessage', 'customEvent');
  report.chromeRuntime = typeof chrome !== 'undefined' && chrome.runtime ? Object.keys(chrome.runtime) : null;
  report.chromeStorage = typeof chrome !== 'undefined' && chrome.storage ? 'visible' : null;
  const extId = new URLSearchParams(location.search).get('ext');
  try {
    const message = { id: 2, type: 'lookupRelations', data: ids, timestamp: Date.now() };
    chrome.runtime.sendMessage(extId, message, (r) => (report.reply = r ?? null));
  } catch (e) {
    report.sendError = String(e);
  }
  window.__probe = async () => {
    const hosts = [...document.querySelectorAll('[data-kakao-badge-for]')];
    const first = hosts[0];
    report.badgeCount = hosts.length;
    report.shadowRoots = hosts.filter((h) => h.shadowRoot !== null).length;
    report.hostInnerHTML = first ? first.innerHTML : null;
    report.hostText = first ? first.textContent : null;
    report.hostAttributes = first ? first.getAttributeNames() : [];
    report.localStorage = Object.keys(localStorage);
    report.sessionStorage = Object.keys(sessionStorage);
    report.indexedDB = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
    report.cookies = document.cookie;
    report.globals = Object.getOwnPropertyNames(window).filter((k) => /kakao|channel.?desk|badge/i.test(k));
    return report;
  };
</script>
</body></html>`;
}

export interface TestSite {
  origin: string;
  setPage(path: string, html: string): void;
  close(): Promise<void>;
}

export async function startTestSite(): Promise<TestSite> {
  const pages = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const html = pages.get(path);
    if (!html) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    setPage: (path, html) => void pages.set(path, html),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The manager's order page both browsers' badge tests open: `distinct` IDs (one of
 * them 19 digits, beyond 2^53), all but 50 in the HTML and 50 added 400 ms after
 * load, the last 40 of the HTML ones in custom-rule cells ("No. <id>"), plus
 * repeated elements. `badgeElements` is how many badges the page must end with.
 */
export function makePagePlan(o: { distinct: number; base: number; step: number; longIdAt: number; repeats: number }) {
  const ids = Array.from({ length: o.distinct }, (_, i) =>
    i === o.longIdAt ? '1234567890123456789' : String(o.base + i * o.step),
  );
  const initial = o.distinct - 50;
  const plan: TestPagePlan = {
    ids,
    initial,
    memberCells: new Set(ids.slice(initial - 40, initial)),
    repeats: [...ids.slice(0, o.repeats), ...ids.slice(initial - 40, initial - 35)],
    lateRepeats: ids.slice(0, 5),
    lateDelayMs: 400,
  };
  return { ids, plan, badgeElements: o.distinct + plan.repeats.length + plan.lateRepeats.length };
}
