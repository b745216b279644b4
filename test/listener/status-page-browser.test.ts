/**
 * The status page (GET /) in headless Chromium: a Connected hybrid connection shows green, a
 * Failed one red, read from the rendered DOM; a screenshot is saved under test-results/.
 * `npm test` finds or installs Chromium first (test/tools/tool-table.js) and hands its path over as
 * HCM_CHROMIUM; without it the test fails: there is no skip.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { ListenerService } from '../../src/listener/listener-service';
import { createLocalSurface } from '../../src/listener/local-surface';
import { manifestWith, startConnector, startRelay, waitFor } from '../relay/relay-fixtures';

const CHROMIUM = process.env.HCM_CHROMIUM;
const RESULTS = path.resolve(__dirname, '..', '..', '..', 'test-results');
const SITE = 'MicrosoftAzureBizTalkHybridListener';


describe('status page in headless Chromium', () => {
  it('shows a Connected hybrid connection in green and a Failed one in red', async (t) => {
    assert.ok(CHROMIUM, 'HCM_CHROMIUM is unset: run the suite with "npm test", which finds or installs Chromium.');
    const relay = await startRelay(t, ['sql-orders']);
    const connector = await startConnector(t, (_request, response) => response.end('ok'));
    const service = new ListenerService({ siteName: SITE });
    t.after(() => service.shutdown(0));
    const missing = relay.connectionString('sql-orders').replace('EntityPath=sql-orders', 'EntityPath=sql-missing');
    service.apply(manifestWith([{ connectionString: relay.connectionString('sql-orders'), port: connector.port }, { connectionString: missing, port: connector.port + 1 }]));
    await waitFor('one Connected, one Failed', () => service.status().map((entry) => entry.state).join() === 'Failed,Connected');

    const server = http.createServer(createLocalSurface({ siteName: SITE, service }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as { port: number }).port;

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    t.after(() => browser.close());
    const page = await browser.newPage();
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
});
