import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';

const hcm = path.join(__dirname, '../../../bin/hcm.js');

/** Reads the child's output until a line matches, with a hang guard (not a speed assertion). */
function lineMatching(lines: string[], reader: readline.Interface, pattern: RegExp, child: ChildProcess): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`no line matching ${pattern} in 90 s:\n${lines.join('\n')}`)), 90_000);
    const check = (line: string) => {
      const match = pattern.exec(line);
      if (!match) return;
      clearTimeout(guard);
      reader.off('line', check);
      resolve(match);
    };
    for (const line of lines) check(line);
    reader.on('line', check);
    child.once('exit', (code) => reject(new Error(`hcm demo exited with ${code} before printing ${pattern}:\n${lines.join('\n')}`)));
  });
}

describe('hcm demo (what npm start runs)', () => {
  let child: ChildProcess | undefined;
  after(() => child?.kill('SIGKILL'));

  it('brings the chain up, and the printed curl command returns rows through relay, listener and connector', async () => {
    child = spawn(process.execPath, [hcm, 'demo', '--relay-port', '0', '--sql-port', '0', '--listener-port', '0', '--connector-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const reader = readline.createInterface({ input: child.stdout! });
    reader.on('line', (line) => lines.push(line));
    child.stderr!.on('data', (chunk) => lines.push(`stderr: ${chunk}`));

    const [, home] = await lineMatching(lines, reader, /^HCM_HOME for this demo: (.+)$/, child);
    const [curlLine, token, url] = await lineMatching(lines, reader, /^curl -H 'ServiceBusAuthorization: ([^']+)' '([^']+)'$/, child);
    const [callLine] = await lineMatching(lines, reader, /^node bin\/hcm\.js call sql-orders GET '\/tables\/Orders\/items\?\$top=5' --home '.+'$/, child);
    assert.ok(curlLine && callLine);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/sql-orders\/tables\/Orders\/items\?\$top=5$/);

    // What the printed curl does, done with fetch: the same header, the same URL.
    const response = await fetch(url, { headers: { ServiceBusAuthorization: token } });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    const body = JSON.parse(text) as { value: Array<Record<string, unknown>> };
    assert.equal(body.value.length, 5);
    assert.ok('Id' in body.value[0] || 'OrderId' in body.value[0], JSON.stringify(body.value[0]));
    assert.ok(fs.existsSync(home));

    const exit = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGINT');
    assert.equal(await exit, 0, lines.join('\n'));
    assert.equal(fs.existsSync(home), false, 'the temporary HCM_HOME was left behind');
  });

  it('says which port is taken, and how to choose another, changing nothing', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const run = spawnSync(process.execPath, [hcm, 'demo', '--relay-port', String(port), '--sql-port', '0', '--listener-port', '0', '--connector-port', '0'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use.*--relay-port 0`));
      const home = /^HCM_HOME for this demo: (.+)$/m.exec(run.stdout)?.[1];
      assert.ok(home && !fs.existsSync(home), 'the temporary HCM_HOME was left behind');
    } finally {
      blocker.close();
    }
  });
});
