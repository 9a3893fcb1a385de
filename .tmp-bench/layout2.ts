import puppeteer from 'puppeteer-core';
import { renderTestPage, startTestSite } from '/work/wt/badgeperf/test/e2e/page-site/server';

const distinct = Array.from({ length: 4000 }, (_, i) => String(7_300_000_000 + i * 11));
const html = renderTestPage({ ids: distinct, initial: 4000, memberCells: new Set(), repeats: distinct.slice(0, 1000), lateRepeats: [], lateDelayMs: 600000 });
const site = await startTestSite();
site.setPage('/big', html);
const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, pipe: true, args: ['--no-sandbox', '--disable-gpu'] });
const BOX = 'display:inline-block;width:6em;height:1.3em;vertical-align:baseline;margin-inline-start:.35em';
for (const mode of ['box', 'shadowEmpty', 'shadowPill', 'shadowPillNoFixed', 'box', 'shadowPill']) {
  const page = await browser.newPage();
  await page.goto(`${site.origin}/big`, { waitUntil: 'load' });
  await new Promise((r) => setTimeout(r, 300));
  const m0 = await page.metrics();
  const r = await page.evaluate(async (mode: string, BOX: string) => {
    const out: Record<string, number> = {};
    const sheet = new CSSStyleSheet(); sheet.replaceSync(':host{all:initial;font-size:inherit;display:inline-block} .pill{display:inline-flex;font:600 0.8em system-ui;padding:0 .5em;border:1px solid #ccc;border-radius:999px;white-space:nowrap}');
    let t = performance.now();
    for (const el of document.querySelectorAll('#rows [data-kakao-user-id]')) {
      const host = document.createElement(mode === 'box' ? 'static-badge' : 'cd-badge');
      if (mode !== 'shadowPillNoFixed') host.style.cssText = BOX;
      if (mode !== 'box') {
        const root = host.attachShadow({ mode: 'closed' });
        root.adoptedStyleSheets = [sheet];
        if (mode !== 'shadowEmpty') { const pill = document.createElement('span'); pill.className = 'pill'; pill.textContent = '… checking'; root.append(pill); }
      }
      el.append(host);
    }
    out.script = performance.now() - t;
    document.body.offsetHeight; out.total = performance.now() - t;
    return out;
  }, mode, BOX);
  const m1 = await page.metrics();
  const d = (k: string) => Math.round(((m1 as any)[k] - (m0 as any)[k]) * 1000);
  console.log(mode, JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v)]))), 'style', d('RecalcStyleDuration'), 'layout', d('LayoutDuration'));
  await page.close();
}
await browser.close(); await site.close();
