/**
 * The status page (GET /) in headless Chromium: a Connected hybrid connection shows green, a
 * Failed one red, read from the rendered DOM; a screenshot is saved under test-results/.
 * Needs /usr/bin/chromium (CI installs it). Outside CI, a missing Chromium is reported and the test
 * is skipped with that reason; under CI=true it fails.
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

const CHROMIUM = '/usr/bin/chromium';
const RESULTS = path.resolve(__dirname, '..', '..', '..', 'test-results');
const SITE = 'MicrosoftAzureBizTalkHybridListener';

const chromiumMissing = !fs.existsSync(CHROMIUM);
if (chromiumMissing) {
  console.log(`Chromium is not installed at ${CHROMIUM}: the status page could NOT be checked in a browser.${process.env.CI === 'true' ? ' (CI=true: this is a failure.)' : ''}`);
}

describe('status page in headless Chromium', () => {
  it('shows a Connected hybrid connection in green and a Failed one in red', { skip: chromiumMissing && process.env.CI !== 'true' ? `Chromium not found at ${CHROMIUM}` : false }, async (t) => {
    assert.ok(!chromiumMissing, `Chromium is required under CI and is missing at ${CHROMIUM}`);
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
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
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
