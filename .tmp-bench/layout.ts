import puppeteer from 'puppeteer-core';
import { renderTestPage, startTestSite } from '/work/wt/badgeperf/test/e2e/page-site/server';

const distinct = Array.from({ length: 4000 }, (_, i) => String(7_300_000_000 + i * 11));
const html = renderTestPage({ ids: distinct, initial: 4000, memberCells: new Set(), repeats: distinct.slice(0, 1000), lateRepeats: [], lateDelayMs: 600000 });
const site = await startTestSite();
site.setPage('/big', html);
const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, pipe: true, args: ['--no-sandbox', '--disable-gpu'] });
const variants: Record<string, string> = {
  plain: 'display:inline-block;width:6em;height:1.3em;vertical-align:baseline;margin-inline-start:.35em',
  containStrict: 'display:inline-block;width:6em;height:1.3em;vertical-align:baseline;margin-inline-start:.35em;contain:strict',
  containSizeLayout: 'display:inline-block;width:6em;height:1.3em;vertical-align:baseline;margin-inline-start:.35em;contain:size layout style',
};
for (const [name, css] of Object.entries(variants)) {
  for (let rep = 0; rep < 2; rep++) {
  const page = await browser.newPage();
  await page.goto(`${site.origin}/big`, { waitUntil: 'load' });
  await new Promise((r) => setTimeout(r, 300));
  const r = await page.evaluate(async (css: string) => {
    const out: Record<string, number> = {};
    let t = performance.now();
    document.body.offsetHeight; out.firstForced = performance.now() - t;
    const hosts: { host: HTMLElement; pill: HTMLElement }[] = [];
    const sheet = new CSSStyleSheet(); sheet.replaceSync('.pill{display:inline-flex;font:600 0.8em system-ui;padding:0 .5em;border:1px solid #ccc;border-radius:999px;white-space:nowrap}');
    t = performance.now();
    for (const el of document.querySelectorAll('#rows [data-kakao-user-id]')) {
      const host = document.createElement('cd-badge');
      host.style.cssText = css;
      const root = host.attachShadow({ mode: 'closed' });
      root.adoptedStyleSheets = [sheet];
      const pill = document.createElement('span'); pill.className = 'pill'; pill.textContent = '… checking';
      root.append(pill);
      el.append(host);
      hosts.push({ host, pill });
    }
    out.buildScript = performance.now() - t;
    document.body.offsetHeight; out.insertTotal = performance.now() - t;
    for (let round = 0; round < 3; round++) {
      t = performance.now();
      for (let i = round * 1000; i < round * 1000 + 1000; i++) { hosts[i]!.pill.textContent = '✓ Friend'; hosts[i]!.host.setAttribute('data-relation', 'ADDED'); }
      document.body.offsetHeight; out['update' + round] = performance.now() - t;
    }
    t = performance.now();
    for (let i = 3000; i < 3010; i++) hosts[i]!.pill.textContent = '✓ Friend';
    document.body.offsetHeight; out.update10 = performance.now() - t;
    return out;
  }, css);
  console.log(name, JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v)]))));
  await page.close();
  }
}
await browser.close(); await site.close();
