/**
 * `hcm status --watch`: into a pipe or file one table per interval, each headed by its time and
 * showing what changed since; on a terminal each frame redrawn in place (escape sequences checked,
 * and once under a real pseudo-terminal made by script(1)); stops with exit 0 on SIGINT and when
 * the pipe's reader goes away. A stand-in listener answers /status, so no relay is needed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { ESC } from '../../src/cli/status-watch';
import { parseConfigurationString } from '../../src/config/connection-string';
import { applyConnectorSetup } from '../../src/config/connector-setup';
import { updateManifest } from '../../src/config/manifest-store';
import { anyFreeLoopbackPort } from '../../src/config/names';

const hcm = path.resolve(__dirname, '..', '..', '..', 'bin', 'hcm.js');
const CONFIG = 'Endpoint=sb://127.0.0.1:1/;SharedAccessKeyName=listen;SharedAccessKey=c3RhdHVzLXdhdGNoLXRlc3Q=;EntityPath=sql-orders;UseDevelopmentEmulator=true';

/** Collects what hcm writes; `onWrite` sees each write as it happens. */
function capture(tty: boolean, onWrite: (text: string) => void = () => undefined): Writable & { text: string; isTTY?: boolean } {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      sink.text += String(chunk);
      onWrite(String(chunk));
      done();
    },
  }) as Writable & { text: string; isTTY?: boolean };
  sink.text = '';
  if (tty) sink.isTTY = true;
  return sink;
}

/** Runs `node hcm.js ARGS` with stdout piped to us; resolves when `ready` matches its output. */
function spawnHcm(args: string[], ready: RegExp) {
  const child = spawn(process.execPath, [hcm, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const seen = new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (ready.test(stdout)) resolve();
  }));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, seen, exited, output: () => ({ stdout, stderr }) };
}

describe('hcm status --watch', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-watch-'));
  let state = 'Connecting';
  const listener = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ hybridConnections: req.url === '/status' ? [{ name: 'sql-orders', connector: 'MicrosoftSqlConnector_001', state, lastError: null }] : [] }));
  });

  before(async () => {
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const connectorPort = await anyFreeLoopbackPort();
    await updateManifest(home, async (manifest) => {
      manifest.listener.port = (listener.address() as { port: number }).port;
      const { manifest: next } = await applyConnectorSetup(manifest, parseConfigurationString(CONFIG), { database: 'Orders' });
      next.connectors[0].port = connectorPort;
      return next;
    });
  });
  after(() => {
    listener.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('prints one table per interval into a pipe or file, each headed by its time, showing what changed', async () => {
    state = 'Connecting';
    const out = capture(false, (text) => {
      if (text.includes('Connecting')) state = 'Connected'; // changes between the two frames
    });
    const code = await main(['status', '--watch', '--count', '2', '--home', home], { stdout: out, stderr: capture(false), stdin: Readable.from([]), env: {} });
    assert.equal(code, 1, 'the connector does not answer, so the last table is not healthy');
    assert.ok(!out.text.includes('\x1b'), 'no escape sequences outside a terminal');
    const frames = out.text.split(/^(?=Every 1s: hcm status {4}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$)/m).filter(Boolean);
    assert.equal(frames.length, 2, out.text);
    assert.match(frames[0], /MicrosoftSqlConnector_001\s+\d+\s+sql-orders\s+Connecting\s+(?:\d+|\?)\s+Orders\s+unreachable/);
    assert.match(frames[1], /MicrosoftSqlConnector_001\s+\d+\s+sql-orders\s+Connected\s+(?:\d+|\?)\s+Orders\s+unreachable/);
  });

  it('redraws in place on a terminal: cursor home, each line cleared to its end, the rest cleared, cursor restored', async () => {
    state = 'Connected';
    const out = capture(true);
    await main(['status', '--watch', '--count', '2', '--home', home], { stdout: out, stderr: capture(false), stdin: Readable.from([]), env: {} });
    assert.ok(out.text.startsWith(ESC.hideCursor), 'the cursor is hidden while redrawing');
    assert.ok(out.text.endsWith(ESC.showCursor), 'and shown again at the end');
    const frames = out.text.slice(ESC.hideCursor.length, -ESC.showCursor.length).split(ESC.home).filter(Boolean);
    assert.equal(frames.length, 2);
    for (const frame of frames) {
      assert.ok(frame.endsWith(`\n${ESC.clearBelow}`), 'what an earlier, longer frame left below is cleared');
      const lines = frame.slice(0, -`\n${ESC.clearBelow}`.length).split('\n');
      assert.ok(lines.every((line) => line.endsWith(ESC.clearLine)), 'every line is cleared to its end');
      assert.match(lines[0], /^Every 1s: hcm status/);
      assert.ok(lines.some((line) => /sql-orders\s+Connected/.test(line)));
    }
  });

  it('under a real terminal (script(1) pseudo-terminal) it redraws with the same sequences', async () => {
    const command = [process.execPath, hcm, 'status', '--watch', '--count', '1', '--home', home].map((p) => `'${p}'`).join(' ');
    const run = spawnHcmUnder('script', ['-q', '-e', '-c', command, '/dev/null']);
    const { code, stdout } = await run;
    assert.equal(code, 1, stdout);
    assert.ok(stdout.includes(ESC.home) && stdout.includes(ESC.clearBelow) && stdout.includes(ESC.hideCursor), JSON.stringify(stdout));
  });

  it('stops cleanly with exit 0 on SIGINT', async () => {
    const run = spawnHcm(['status', '--watch', '--home', home], /Every 1s: hcm status[\s\S]*sql-orders/);
    await run.seen;
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 0);
    assert.equal(run.output().stderr, '');
  });

  it('stops cleanly with exit 0 when the pipe\'s reader goes away (hcm status --watch | head -2)', async () => {
    const quoted = [process.execPath, hcm, 'status', '--watch', '--home', home].map((p) => `'${p}'`).join(' ');
    const { code, stdout } = await spawnHcmUnder('bash', ['-c', `${quoted} 2>&1 | head -2; echo "hcm-exit=\${PIPESTATUS[0]}"`]);
    assert.equal(code, 0);
    assert.match(stdout, /^Every 1s: hcm status/);
    assert.match(stdout, /hcm-exit=0\n$/);
    assert.doesNotMatch(stdout, /EPIPE|Error/);
  });
});

function spawnHcmUnder(program: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // A hang guard, not a timing assertion.
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${program} did not finish; output so far: ${stdout}`));
    }, 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout });
    });
  });
}
