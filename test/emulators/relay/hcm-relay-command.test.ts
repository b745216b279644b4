/**
 * `hcm relay` as a user runs it: a child process on port 0 that prints one configuration string
 * per hybrid connection; in plain mode (--no-tls) a hyco-https listener and an HTTP sender use the
 * printed string as the product would; in TLS mode (the default) `hcm setup` takes the printed
 * string with the printed certificate, the product's listener connects over wss:// and `hcm call`
 * gets through over https://; SIGTERM stops it cleanly. Also --help, a port in use and bad options.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { describe, it, TestContext } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import { parseConfigurationString } from '../../../src/config/connection-string';
import { readManifest } from '../../../src/config/manifest-store';
import { RelayListener } from '../../../src/relay/relay-listener';
import { readTrustedCertificates, useRelayConnectionSettings } from '../../../src/relay/relay-websocket-options';
import { createHybridConnectionToken, httpUri, listenUri } from '../../../src/relay/uris';
import { closeHyco, createHycoListener, readAll, startHyco, waitFor, writeConfigFile } from './relay-test-kit';

const HCM = path.join(__dirname, '..', '..', '..', '..', 'bin', 'hcm.js');

interface RelayProcess {
  child: ChildProcess;
  lines: AsyncIterableIterator<string>;
  exited: Promise<number | null>;
  stderr(): string;
}

/** A temporary HCM_HOME: the relay keeps its generated certificate there. */
function tempHome(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-relay-cli-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function startRelayProcess(t: TestContext, args: string[], home = tempHome(t)): RelayProcess {
  const child = spawn(process.execPath, [HCM, 'relay', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HCM_LOG_LEVEL: 'silent', HCM_HOME: home } });
  // 'close' (not 'exit'): stdout and stderr are complete by then.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, lines, exited, stderr: () => stderr };
}

async function configurationLines(relay: RelayProcess, count: number): Promise<string[]> {
  const found: string[] = [];
  while (found.length < count) {
    const next = await relay.lines.next();
    if (next.done) {
      await relay.exited;
      throw new Error(`hcm relay ended (exit ${relay.child.exitCode}) after printing ${found.length} configuration strings; stderr: ${relay.stderr().slice(0, 2000)}`);
    }
    if (next.value.startsWith('Endpoint=')) found.push(next.value);
  }
  return found;
}

function runHcm(args: string[], home = path.join(os.tmpdir(), 'hcm-relay-cli-unused')): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [HCM, ...args], { encoding: 'utf8', timeout: 15_000, env: { ...process.env, HCM_LOG_LEVEL: 'silent', HCM_HOME: home } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('hcm relay', () => {
  it('with --no-tls prints a plain configuration string per hybrid connection that a hyco-https listener and a sender can use, and stops on SIGTERM', async (t) => {
    const relay = startRelayProcess(t, ['--port', '0', '--no-tls', '--hybrid-connection', 'cli/orders', '--hybrid-connection', 'cli-public:anonymous']);
    const [orders, publicOne] = await configurationLines(relay, 2);
    assert.match(orders, /^Endpoint=sb:\/\/127\.0\.0\.1:\d+\/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=[^;]+;EntityPath=cli\/orders;UseDevelopmentEmulator=true$/);
    assert.match(publicOne, /;EntityPath=cli-public;/);
    const target = parseConfigurationString(orders);
    assert.ok(target.port && target.port > 0, 'the port it got');
    const token = () => createHybridConnectionToken(target, target.keyName!, target.key!);
    const listener = createHycoListener(listenUri(target), token, (req, res) => {
      readAll(req).then((body) => res.end(`${req.method} ${req.url} ${body.toString()}`));
    });
    t.after(() => closeHyco(listener));
    await startHyco(listener);
    const answer = await fetch(httpUri(target, 'items?top=2'), { method: 'POST', headers: { ServiceBusAuthorization: token() }, body: 'hi' });
    assert.equal(answer.status, 200);
    assert.equal(await answer.text(), 'POST /cli/orders/items?top=2 hi');
    closeHyco(listener);
    relay.child.kill('SIGTERM');
    assert.equal(await relay.exited, 0);
    assert.match(relay.stderr(), /stopping \(SIGTERM\)/);
  });

  it('in TLS mode prints a string and a certificate that hcm setup, the product\'s listener and hcm call use as they are', async (t) => {
    const home = tempHome(t);
    const relay = startRelayProcess(t, ['--port', '0', '--hybrid-connection', 'cli-tls'], home);
    const [text] = await configurationLines(relay, 1);
    assert.match(text, /^Endpoint=sb:\/\/127\.0\.0\.1:\d+\/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=[^;]+;EntityPath=cli-tls$/);
    await waitFor(() => /TLS certificate: (.+\.crt) \(SHA-256 /.test(relay.stderr()), 'the certificate line');
    const certPath = /TLS certificate: (.+\.crt) \(SHA-256 /.exec(relay.stderr())![1];
    assert.equal(path.dirname(certPath), path.join(home, 'tls'), 'kept under HCM_HOME, where a user can trust it');
    const setup = runHcm(['setup', '--config-string', text, '--relay-certificate', certPath], home);
    assert.equal(setup.status, 0, setup.stderr);
    const stored = readManifest(home).connectors[0].hybridConnection;
    assert.equal(stored.emulator, false);
    assert.equal(stored.trustedCertificate, fs.readFileSync(certPath, 'utf8'));
    // The listener site would take the trust from the manifest; here the same setting, set directly.
    useRelayConnectionSettings({ trustedCertificates: readTrustedCertificates([certPath]) });
    const listener = new RelayListener({
      connection: parseConfigurationString(text),
      onCall: (call) => {
        call.body.resume();
        call.response.writeHead(200, 'OK', { 'content-type': 'application/json' });
        call.response.end(Buffer.from(JSON.stringify({ target: call.target })));
      },
    });
    listener.start();
    t.after(() => listener.close());
    await waitFor(() => listener.state === 'Connected', 'the listener to connect over wss://');
    const call = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [HCM, 'call', 'cli-tls', 'GET', '/hello'], { env: { ...process.env, HCM_LOG_LEVEL: 'silent', HCM_HOME: home } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('close', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(call.status, 0, call.stderr);
    assert.match(call.stdout, /^HTTP 200\n/);
    assert.match(call.stdout, /"target": "\/cli-tls\/hello"/);
    await listener.close();
    relay.child.kill('SIGTERM');
    assert.equal(await relay.exited, 0);
  });

  it('documents every option in --help', () => {
    const { status, stdout } = runHcm(['relay', '--help']);
    assert.equal(status, 0);
    for (const option of ['--host', '--port', '--hybrid-connection', ':anonymous', '--config', '--response-timeout', '--token-grace', '--strict', '--tls-cert', '--tls-key', '--tls-dir', '--no-tls', '--public-address', 'UseDevelopmentEmulator=true', 'SIGTERM', 'RootManageSharedAccessKey']) {
      assert.ok(stdout.includes(option), `--help mentions ${option}`);
    }
  });

  it('exits 1 with a clear message when the port is in use', async (t) => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    t.after(() => blocker.close());
    const port = (blocker.address() as net.AddressInfo).port;
    const relay = startRelayProcess(t, ['--port', String(port), '--no-tls', '--hybrid-connection', 'x']);
    assert.equal(await relay.exited, 1);
    assert.match(relay.stderr(), new RegExp(`hcm relay: Port ${port} on 127\\.0\\.0\\.1 is already in use`));
  });

  it('exits 2 on bad options and on a bad configuration file, naming the problem', (t) => {
    assert.equal(runHcm(['relay', '--port', 'abc']).status, 2);
    assert.equal(runHcm(['relay', '--response-timeout', '-1']).status, 2);
    assert.equal(runHcm(['relay', '--token-grace', 'soon']).status, 2);
    assert.match(runHcm(['relay', '--public-address', 'https://x/path']).stderr, /--public-address: The public address must be ws:\/\/host\[:port\] or wss:\/\/host\[:port\]/);
    assert.match(runHcm(['relay', '--tls-cert', '/nonexistent.crt']).stderr, /Give both a certificate file and a key file/);
    const badName = runHcm(['relay', '--hybrid-connection', 'bad name']);
    assert.equal(badName.status, 2);
    assert.match(badName.stderr, /--hybrid-connection "bad name"/);
    const file = writeConfigFile(t, '{"hybridConnections": [ {"name": "ok", "authorizationRules": [{"name":"r","rights":["Send"],"primaryKey":"TOPSECRET"}] } ], }');
    const badFile = runHcm(['relay', '--config', file]);
    assert.equal(badFile.status, 2);
    assert.match(badFile.stderr, /is not valid JSON/);
    assert.doesNotMatch(badFile.stderr, /TOPSECRET/);
  });
});
