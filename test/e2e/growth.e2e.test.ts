import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seededRelation } from '../../lib/simulator/model';
import { createWebhookVerifier, type WebhookVerification } from '../../lib/webhook';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { saveScreenshot } from './screenshots';
import { launchChromeWithExtension, type ChromeSession } from './browsers';

/*
 * A fresh install with no key: the sandbox answers everything, in the popup and
 * in the workspace's growth tools and webhook tester. The simulator server is
 * running (the build points at it) only to prove the sandbox never calls it.
 */

let server: SimulatorServer;
let chromeSession: ChromeSession;
let receiver: http.Server;
const received: { headers: http.IncomingHttpHeaders; verdict: WebhookVerification }[] = [];

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort') });
  const verifier = createWebhookVerifier({ primaryAdminKey: 'sandbox-demo-key' });
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const verdict = verifier.verify({ headers: req.headers, body });
      received.push({ headers: req.headers, verdict });
      res.writeHead(verdict.ok ? 200 : verdict.status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  chromeSession = await launchChromeWithExtension(inject('chromeExtDir'));
  // The install opens the options tab; wait for it so it does not take the focus from a page under test.
  const options = await chromeSession.browser.waitForTarget((t) => t.url().endsWith('/options.html'), {
    timeout: 10_000,
  });
  await (await options.page())?.close();
});
afterAll(async () => {
  await chromeSession?.close();
  await new Promise((r) => receiver?.close(r));
  await server?.close();
});

/** Every JS file a page loads (its module scripts and their static imports). */
function pageScripts(extDir: string, html: string): string[] {
  const out = new Set<string>();
  const queue = [...fs.readFileSync(path.join(extDir, html), 'utf8').matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (out.has(file)) continue;
    out.add(file);
    const code = fs.readFileSync(path.join(extDir, file), 'utf8');
    for (const m of code.matchAll(/from"\.\/([^"]+\.js)"/g))
      queue.push(path.posix.join(path.posix.dirname(file), m[1]!));
  }
  return [...out];
}

describe('sandbox and growth tools, end to end in Chromium', () => {
  it('the simulator is bundled into the background only, not the popup, options or content scripts', () => {
    const dir = inject('chromeExtDir');
    const marker = '체험용_VIP_고객'; // a demo file name only the sandbox simulator contains
    expect(fs.readFileSync(path.join(dir, 'background.js'), 'utf8')).toContain(marker);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const contentScripts: string[] = (manifest.content_scripts ?? []).flatMap((c: { js?: string[] }) => c.js ?? []);
    const files = [...pageScripts(dir, 'popup.html'), ...pageScripts(dir, 'options.html'), ...contentScripts];
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const code = fs.readFileSync(path.join(dir, file), 'utf8');
      expect(code, file).not.toContain(marker);
      expect(code, file).not.toContain('createKakaoSimulator');
    }
    expect(manifest.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
  });

  it('a fresh install with no key shows sandbox data in the popup', async () => {
    server.sim.clearLog();
    const popup = await chromeSession.openExtensionPage('popup.html');
    await popup.waitForSelector('[data-testid="sandbox"] [data-testid="no-key"]');
    expect(await popup.$eval('[data-testid="sandbox"]', (el) => el.textContent)).toContain('Sandbox (demo data)');
    const user = '1234567890';
    await popup.click(`[data-demo-user="${user}"]`);
    await popup.waitForSelector('li[data-channel-id]');
    const rows = await popup.$$eval('li[data-channel-id]', (els) =>
      els.map((el) => ({ channel: el.getAttribute('data-channel-id')!, relation: el.getAttribute('data-relation') })),
    );
    expect(rows.map((r) => r.channel)).toEqual(['_ZeUTxl', '_frxjem']);
    for (const row of rows) expect(row.relation).toBe(seededRelation(user, row.channel));
    expect(new Set(rows.map((r) => r.relation)).size).toBe(2); // a demo user with two different relations
    await saveScreenshot(popup, 'popup-sandbox');
    expect(server.sim.log).toHaveLength(0); // answered inside the extension, not by any API
    await popup.close();
  });

  it('the options page shows the sandbox switch on', async () => {
    const options = await chromeSession.openExtensionPage('options.html');
    await options.waitForSelector('[data-testid="sandbox-switch"] [data-testid="sandbox"]');
    expect(await options.$eval('input[name="sandbox"]', (el) => (el as HTMLInputElement).checked)).toBe(true);
    await saveScreenshot(options, 'options-sandbox');
    await options.close();
  });

  it('the workspace growth tools show the demo channels with links, QR codes and snippets', async () => {
    const page = await chromeSession.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`chrome-extension://${chromeSession.extId}/workspace.html#/growth`, { waitUntil: 'load' });
    await page.waitForSelector('.ws-nav [data-testid="sandbox"]');
    await page.waitForSelector('.growth-channel[data-channel-id="_ZeUTxl"]');
    const cards = await page.$$eval('.growth-channel', (els) =>
      els.map((el) => ({ id: el.getAttribute('data-channel-id'), text: el.textContent })),
    );
    expect(cards.map((c) => c.id)).toEqual(['_ZeUTxl', '_frxjem']);
    expect(cards[0]!.text).toContain('@채널데스크'); // the uuid came from the sandbox API
    const links = await page.$$eval('.growth-channel[data-channel-id="_ZeUTxl"] input[readonly]', (els) =>
      els.map((el) => (el as HTMLInputElement).value),
    );
    expect(links).toEqual([
      'https://pf.kakao.com/_ZeUTxl/friend',
      'https://pf.kakao.com/_ZeUTxl/chat',
      'https://pf.kakao.com/_ZeUTxl',
    ]);
    const qrs = await page.$$eval('img[data-qr-for]', (els) =>
      els.map((el) => ({
        src: (el as HTMLImageElement).src.startsWith('data:image/svg+xml'),
        ok: (el as HTMLImageElement).naturalWidth > 0,
      })),
    );
    expect(qrs).toHaveLength(6);
    for (const qr of qrs) expect(qr).toEqual({ src: true, ok: true });

    await page.click('input[name="snippetKind"][value="chat"]');
    await page.click('input[name="color"][value="mono"]');
    const code = await page.$eval('[data-testid="snippet-code"]', (el) => el.textContent!);
    expect(code).toContain('Kakao.Channel.createChatButton({');
    expect(code).toContain("color: 'mono',");
    expect(await page.$eval('[data-testid="snippet-preview"]', (el) => el.className)).toContain('color-mono');
    await page.click('input[name="snippetKind"][value="add"]');
    await saveScreenshot(page, 'workspace-growth');
    await page.close();
  });

  it('the workspace customer files and bulk check work on the demo channels in the sandbox', async () => {
    server.sim.clearLog();
    const page = await chromeSession.browser.newPage();
    await page.goto(`chrome-extension://${chromeSession.extId}/workspace.html#/files`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid="files-section"]');
    await page.waitForSelector('tr[data-file-id]');
    const names = await page.$$eval('tr[data-file-id]', (els) => els.map((el) => el.textContent ?? ''));
    expect(names.some((n) => n.includes('체험용_VIP_고객'))).toBe(true);
    await page.goto(`chrome-extension://${chromeSession.extId}/workspace.html#/relationships`, { waitUntil: 'load' });
    await page.waitForSelector('[data-action="source-paste"]');
    expect(server.sim.log).toHaveLength(0); // demo data never reaches the network
    await page.close();
  });

  it('the webhook tester posts a sample event that a spec-checking receiver accepts', async () => {
    const page = await chromeSession.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`chrome-extension://${chromeSession.extId}/workspace.html#/webhook`, { waitUntil: 'load' });
    await page.waitForSelector('.ws-nav [data-testid="sandbox"]');
    await page.waitForSelector('[data-testid="webhook-history-empty"]');
    const { port } = receiver.address() as AddressInfo;
    await page.type('input[name="webhookUrl"]', `http://127.0.0.1:${port}/kakao/webhook`);
    await page.select('select[name="event"]', 'blocked');
    await page.click('form button[type="submit"]');
    const verdict = await page.waitForSelector('[data-testid="webhook-verdict"]');
    expect(await verdict!.evaluate((el) => el.getAttribute('data-verdict'))).toBe('pass');
    expect(await page.$eval('[data-testid="webhook-status"]', (el) => el.textContent)).toBe('200');

    expect(received).toHaveLength(1);
    const { headers, verdict: check } = received[0]!;
    expect(check).toMatchObject({
      ok: true,
      payload: { event: 'blocked', channel_public_id: '_ZeUTxl', channel_uuid: '@채널데스크' },
    });
    expect(headers.authorization).toBe('KakaoAK sandbox-demo-key'); // the sandbox never sends a real key
    expect(headers['x-kakao-resource-id']).toMatch(/^[A-Za-z0-9]{24}$/);
    // Chromium replaces a fetch's User-Agent with its own; the verifier does not depend on it.
    console.info(`User-Agent Chromium sent: ${headers['user-agent']}`);

    await page.waitForSelector('[data-testid="webhook-history"] tr[data-verdict="pass"]');

    // The wrong-key probe: the receiver refuses the fixed fake key with 401, which is a pass.
    await page.click('input[name="probes"][value="wrong-auth"]');
    expect(await page.$('[data-testid="webhook-verdict"]')).toBeNull(); // the form changed: the old verdict is gone
    await page.click('form button[type="submit"]');
    const probe = await page.waitForSelector('[data-probe="wrong-auth"]');
    expect(await probe!.evaluate((el) => el.getAttribute('data-verdict'))).toBe('pass');
    expect(received.map((r) => r.headers.authorization)).toEqual([
      'KakaoAK sandbox-demo-key',
      'KakaoAK sandbox-demo-key',
      'KakaoAK 00000000000000000000000000000000',
    ]);
    expect(received[2]!.verdict).toMatchObject({ ok: false, status: 401 });

    await page.click('details.sent summary');
    await saveScreenshot(page, 'workspace-webhook');
    await page.close();
  });
});
