import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { anyFreeLoopbackPort } from '../../src/config/names';
import { SiteProcess } from '../../src/host/site-process';

/** A minimal site: answers its name and environment on PORT, like a real site entry would. */
const SITE_SCRIPT = `
const http = require('node:http');
const server = http.createServer((req, res) => res.end(JSON.stringify({ site: process.env.HCM_SITE_NAME, home: process.env.HCM_HOME, pid: process.pid })));
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
process.on('SIGTERM', () => { console.log('stopping gracefully'); server.close(() => process.exit(0)); });
`;

interface SiteAnswer {
  site: string;
  home: string;
  pid: number;
}

async function poll<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 15_000; // a hang guard, not a speed assertion
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('SiteProcess', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-site-'));
  const script = path.join(dir, 'server.js');
  fs.writeFileSync(script, SITE_SCRIPT);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs the site with PORT, HCM_HOME and HCM_SITE_NAME, restarts it when it dies, and stops it gracefully', async () => {
    const port = await anyFreeLoopbackPort();
    const lines: string[] = [];
    const site = new SiteProcess({ site: 'MicrosoftSqlConnector_001', script, port }, { home: dir, logDir: path.join(dir, 'logs'), onLine: (_s, line) => lines.push(line) });
    site.start();
    try {
      const first = await poll('the site to answer', async () => (await fetch(`http://127.0.0.1:${port}/`)).json() as Promise<SiteAnswer>);
      assert.deepEqual({ site: first.site, home: first.home }, { site: 'MicrosoftSqlConnector_001', home: dir });

      process.kill(first.pid, 'SIGKILL');
      const second = await poll('the restarted site', async () => {
        const body = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as SiteAnswer;
        return body.pid !== first.pid ? body : undefined;
      });
      assert.equal(second.site, 'MicrosoftSqlConnector_001');
      assert.equal(site.restarts, 1);
      assert.ok(lines.some((line) => /exited with signal SIGKILL; restarting/.test(line)), lines.join('\n'));
    } finally {
      await site.stop();
    }
    assert.ok(lines.includes('stopping gracefully'), 'the site did not get SIGTERM');
    await assert.rejects(fetch(`http://127.0.0.1:${port}/`));
    const log = fs.readFileSync(path.join(dir, 'logs', 'MicrosoftSqlConnector_001.log'), 'utf8');
    assert.match(log, /"msg":"started \(pid \d+, port \d+\)"/);
    assert.match(log, /exited with signal SIGKILL/);
    assert.match(log, /"msg":"stopped"/);
  });

  it('kills a site that ignores SIGTERM after the stop timeout', async () => {
    const stubborn = path.join(dir, 'stubborn.js');
    fs.writeFileSync(stubborn, "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); setInterval(() => {}, 1000); console.log('up');");
    const lines: string[] = [];
    const site = new SiteProcess({ site: 'Stubborn', script: stubborn, port: 0 }, { home: dir, logDir: path.join(dir, 'logs'), onLine: (_s, l) => lines.push(l), stopTimeoutMs: 300 });
    site.start();
    await poll('the site to start', async () => (lines.includes('up') ? true : undefined));
    const pid = site.pid!;
    await site.stop();
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    assert.ok(lines.includes('ignoring SIGTERM'));
  });
});
