/**
 * The status page (GET /) in headless Chromium: a Connected hybrid connection shows green, a
 * Failed one red, read from the rendered DOM; a screenshot is saved under test-results/. Per hybrid
 * connection a person sees its relay endpoint, listener count, last error and calls per minute,
 * and the page reloads itself with new numbers.
 * `npm test` finds or installs Chromium first (test/tools/tool-table.js) and hands its path over as
 * HCM_CHROMIUM; without it the test fails: there is no skip.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Browser, chromium } from 'playwright-core';
import { ListenerService } from '../../src/listener/listener-service';
import { createLocalSurface } from '../../src/listener/local-surface';
import { manifestWith, sendThroughRelay, startConnector, startRelay, waitFor } from '../relay/relay-fixtures';
import { anyFreeLoopbackPort } from '../../src/config/names';

const CHROMIUM = process.env.HCM_CHROMIUM;
const RESULTS = path.resolve(__dirname, '..', '..', '..', 'test-results');
const SITE = 'MicrosoftAzureBizTalkHybridListener';


describe('status page in headless Chromium', () => {
  // One browser for the suite (each launch costs seconds); each test has its own page.
  let browser: Promise<Browser> | undefined;
  const sharedBrowser = () => (browser ??= chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  }));
  after(async () => (await browser)?.close());

  it('shows a Connected hybrid connection in green and a Failed one in red', async (t) => {
    assert.ok(CHROMIUM, 'HCM_CHROMIUM is unset: run the suite with "npm test", which finds or installs Chromium.');
    const relay = await startRelay(t, ['sql-orders']);
    const connector = await startConnector(t, (_request, response) => response.end('ok'));
    const service = new ListenerService({ siteName: SITE });
    t.after(() => service.shutdown(0));
    const missing = relay.connectionString('sql-orders').replace('EntityPath=sql-orders', 'EntityPath=sql-missing');
    service.apply(manifestWith([{ connectionString: relay.connectionString('sql-orders'), port: connector.port }, { connectionString: missing, port: await anyFreeLoopbackPort() }]));
    await waitFor('one Connected, one Failed', () => service.status().map((entry) => entry.state).join() === 'Failed,Connected');

    const server = http.createServer(createLocalSurface({ siteName: SITE, service }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as { port: number }).port;

    const page = await (await sharedBrowser()).newPage();
    t.after(() => page.close());
    const response = await page.goto(`http://127.0.0.1:${port}/`);
    assert.equal(response?.status(), 200);
    fs.mkdirSync(RESULTS, { recursive: true });
    const screenshot = path.join(RESULTS, 'listener-status-page.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    assert.ok(fs.statSync(screenshot).size > 1000, 'a screenshot was saved');

    // Runs in the page (the project's TypeScript has no DOM types, hence `any`).
    const rows: Array<{ name: string; text: string; colour: string; error: string }> = await page.$$eval('tr.hybrid-connection', (elements: any[]) =>
      elements.map((row: any) => {
        const badge = row.querySelector('.state');
        const colour = (globalThis as any).getComputedStyle(badge).backgroundColor;
        return { name: row.getAttribute('data-name'), text: badge.textContent, colour, error: row.querySelector('.error')?.textContent ?? '' };
      }),
    );
    assert.deepEqual(rows.map(({ name, text, colour }) => ({ name, text, colour })), [
      { name: 'sql-missing', text: 'Failed', colour: 'rgb(197, 15, 31)' },
      { name: 'sql-orders', text: 'Connected', colour: 'rgb(16, 124, 16)' },
    ]);
    assert.match(rows[0].error, /404/);
    assert.equal(await page.title(), `${SITE} — Hybrid Connection Manager`);
  });

  it('shows per hybrid connection its relay endpoint, listener count, last error and calls per minute, and reloads itself', async (t) => {
    assert.ok(CHROMIUM, 'HCM_CHROMIUM is unset: run the suite with "npm test", which finds or installs Chromium.');
    const relay = await startRelay(t, ['sql-orders']);
    const connector = await startConnector(t, (_request, response) => response.end('ok'));
    // The relay is asked for the listener count every 100 ms here (30 s by default).
    const service = new ListenerService({ siteName: SITE, settings: { listenerCountPollMs: 100 } });
    t.after(() => service.shutdown(0));
    const missing = relay.connectionString('sql-orders').replace('EntityPath=sql-orders', 'EntityPath=sql-missing');
    service.apply(manifestWith([{ connectionString: relay.connectionString('sql-orders'), port: connector.port }, { connectionString: missing, port: await anyFreeLoopbackPort() }]));
    await waitFor('one Connected, one Failed', () => service.status().map((entry) => entry.state).join() === 'Failed,Connected');
    await waitFor('the relay to report one listener', () => service.status().find((entry) => entry.name === 'sql-orders')?.listeners === 1);
    assert.equal((await sendThroughRelay(relay, 'sql-orders', { suffix: '/tables' })).status, 200);

    const server = http.createServer(createLocalSurface({ siteName: SITE, service, refreshSeconds: 1 }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as { port: number }).port;
    const page = await (await sharedBrowser()).newPage();
    t.after(() => page.close());
    assert.equal((await page.goto(`http://127.0.0.1:${port}/`))?.status(), 200);

    // What a person reads: each row's visible text under each column heading.
    const table = async (): Promise<Record<string, Record<string, string>>> => page.evaluate(() => {
      const doc = (globalThis as any).document;
      const headings = [...doc.querySelectorAll('thead th')].map((th: any) => th.innerText.trim());
      return Object.fromEntries([...doc.querySelectorAll('tbody tr')].map((row: any) => {
        const cells = [...row.querySelectorAll('td')].map((td: any) => td.innerText.trim());
        return [cells[0], Object.fromEntries(headings.map((heading: string, i: number) => [heading, cells[i]]))];
      }));
    });
    const first = await table();
    const relayPort = relay.address().port;
    assert.deepEqual(
      { endpoint: first['sql-orders']['Relay endpoint'], listeners: first['sql-orders'].Listeners, perMinute: first['sql-orders']['Calls/min'], error: first['sql-orders']['Last error'] },
      { endpoint: `ws://127.0.0.1:${relayPort}/$hc/sql-orders`, listeners: '1', perMinute: '1', error: '' },
    );
    assert.equal(first['sql-missing']['Relay endpoint'], `ws://127.0.0.1:${relayPort}/$hc/sql-missing`);
    assert.equal(first['sql-missing'].Listeners, '—', 'unknown: the relay has no such hybrid connection');
    assert.match(first['sql-missing']['Last error'], /404/);
    assert.equal(first['sql-missing']['Calls/min'], '0');
    const visible = await page.evaluate(() => (globalThis as any).document.body.innerText as string);
    assert.match(visible, /reloads every 1 s/);

    // A second manager joins and more calls arrive: the page shows it without anyone reloading it.
    let reloads = 0;
    page.on('load', () => (reloads += 1));
    const second = new ListenerService({ siteName: `${SITE}-second` });
    t.after(() => second.shutdown(0));
    second.apply(manifestWith([{ connectionString: relay.connectionString('sql-orders'), port: connector.port }]));
    await waitFor('the second manager Connected', () => second.status()[0]?.state === 'Connected');
    for (let i = 0; i < 2; i += 1) assert.equal((await sendThroughRelay(relay, 'sql-orders', { suffix: '/tables' })).status, 200);
    const calls = () => service.status().find((entry) => entry.name === 'sql-orders')!.requests.total;
    const expected = String(calls());
    const later = await waitFor('the page to reload with two listeners and the new calls', async () => {
      const rows = await table();
      return rows['sql-orders']?.Listeners === '2' && rows['sql-orders']['Calls/min'] === expected ? rows : undefined;
    }, 15_000, 100);
    assert.equal(later!['sql-orders'].Calls, expected);
    assert.ok(reloads >= 1, 'the page reloaded itself');
    fs.mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS, 'listener-status-page-details.png'), fullPage: true });
  });
});
