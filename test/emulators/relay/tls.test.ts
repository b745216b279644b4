/**
 * The emulator's TLS mode: https:// and wss:// on the same port as http:// and ws://, rendezvous
 * addresses in the scheme, host and port the listener came in by (or the --public-address), and
 * TLS-mode configuration strings (no UseDevelopmentEmulator) that the product's own listener —
 * trusting the generated certificate through the setting, not NODE_EXTRA_CA_CERTS — and an HTTPS
 * sender connect with: small and over-64-kB bodies both ways.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { describe, it, TestContext } from 'node:test';
import WebSocket from 'ws';
import { loadOrCreateTlsIdentity, TlsIdentity } from '../../../src/common/tls-certificate';
import { parseConfigurationString } from '../../../src/config/connection-string';
import { RelayListener } from '../../../src/relay/relay-listener';
import type { RelayedCall } from '../../../src/relay/relayed-call';
import { relayHttpRequest } from '../../../src/relay/relay-http';
import { useRelayConnectionSettings } from '../../../src/relay/relay-websocket-options';
import { createHybridConnectionToken, httpUri } from '../../../src/relay/uris';
import { PlainSocket, RelayHarness, waitFor } from './relay-test-kit';

let identity: TlsIdentity | undefined;

/** One certificate for the file (generating an RSA key takes a moment). */
function testIdentity(t: TestContext): TlsIdentity {
  if (identity) return identity;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-relay-tls-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  identity = loadOrCreateTlsIdentity({ dir, name: 'hcm-relay-emulator', hosts: ['localhost', '127.0.0.1', '::1'] });
  return identity;
}

/** A wss:// (or ws://) client trusting the test certificate; rejects with the handshake status when refused. */
function openSocket(url: string, ca: string, headers: Record<string, string> = {}): Promise<PlainSocket> {
  const ws = new WebSocket(url, { headers, ca, perMessageDeflate: false });
  const socket = new PlainSocket(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

function echo(call: RelayedCall): void {
  const chunks: Buffer[] = [];
  call.body.on('data', (chunk: Buffer) => chunks.push(chunk));
  call.body.on('end', () => {
    const body = Buffer.concat(chunks);
    call.response.writeHead(200, 'OK', { 'content-type': 'application/octet-stream' });
    // Answers with the body it got plus as much again: an upload over 64 kB comes back over 128 kB.
    call.response.end(Buffer.concat([Buffer.from(`${call.method} ${call.target} `), body, body]));
  });
}

describe('the relay emulator with TLS', () => {
  it('serves https:// and http:// on one port, and refuses nothing but an untrusted client', async (t) => {
    const { cert, key } = testIdentity(t);
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'both' }], tls: { cert, key } });
    const plain = await h.request('/both');
    assert.equal(plain.status, 401, 'plain HTTP still works (no token)');
    const secure = await new Promise<number>((resolve, reject) => {
      https.get(`https://localhost:${h.port}/both`, { ca: cert }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject);
    });
    assert.equal(secure, 401, 'HTTPS with the trusted certificate');
    await assert.rejects(
      new Promise((resolve, reject) => https.get(`https://127.0.0.1:${h.port}/both`, resolve).on('error', reject)),
      /self[- ]signed/i,
      'a client that does not trust the certificate fails its handshake',
    );
    assert.equal((await h.request('/both')).status, 401, 'and the relay carries on');
  });

  it('gives a listener that came in over wss:// wss:// rendezvous addresses on its own host and port', async (t) => {
    const { cert, key } = testIdentity(t);
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'rdv' }], tls: { cert, key } });
    const listener = await openSocket(`wss://localhost:${h.port}/$hc/rdv?sb-hc-action=listen`, cert, { ServiceBusAuthorization: h.token('rdv') });
    const senderOpen = openSocket(`wss://127.0.0.1:${h.port}/$hc/rdv?sb-hc-action=connect`, cert, { ServiceBusAuthorization: h.token('rdv') });
    const { accept } = await listener.nextJson();
    assert.ok(accept.address.startsWith(`wss://localhost:${h.port}/$hc/rdv?sb-hc-action=accept&sb-hc-id=`), accept.address);
    const accepted = await openSocket(accept.address, cert);
    const sender = await senderOpen;
    sender.ws.send('over tls');
    assert.equal((await accepted.next()).data.toString(), 'over tls');
    // A plain listener on the same port gets ws:// addresses.
    const plainListener = await h.plainListener('rdv');
    assert.equal(h.relay.listenerCount('rdv'), 2);
    plainListener.ws.close();
  });

  it('names the --public-address in rendezvous addresses and strings when a front stands before it', async (t) => {
    const { cert, key } = testIdentity(t);
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'front' }], tls: { cert, key }, publicAddress: 'wss://relay.example.com:8443' });
    assert.match(h.relay.connectionString('front'), /^Endpoint=sb:\/\/relay\.example\.com:8443\/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=[^;]+;EntityPath=front$/);
    assert.match(h.relay.connectionString('front', { mode: 'plain' }), new RegExp(`^Endpoint=sb://127\\.0\\.0\\.1:${h.port}/;.*;UseDevelopmentEmulator=true$`));
    const listener = await h.plainListener('front');
    const pending = h.request('/front', { method: 'POST', headers: { ServiceBusAuthorization: h.token('front') }, body: Buffer.alloc(70_000, 1) });
    const pointer = await listener.nextJson();
    assert.ok(pointer.request.address.startsWith('wss://relay.example.com:8443/$hc/front?sb-hc-action=request&sb-hc-id='), pointer.request.address);
    const rendezvous = await h.connect(pointer.request.address.replace('wss://relay.example.com:8443', `ws://127.0.0.1:${h.port}`));
    const request = await rendezvous.nextJson();
    assert.equal((await rendezvous.next()).data.length, 70_000);
    rendezvous.respond(request.request.id, 200, 'via the front');
    assert.equal((await pending).body.toString(), 'via the front');
  });

  it('prints a TLS-mode string the product\'s listener and an HTTPS sender use as is: small and over-64-kB bodies both ways', async (t) => {
    const { cert, key } = testIdentity(t);
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'sql-orders' }], tls: { cert, key } });
    const text = h.relay.connectionString('sql-orders');
    assert.doesNotMatch(text, /UseDevelopmentEmulator/, 'Microsoft\'s SDKs refuse that key');
    const connection = parseConfigurationString(text);
    assert.deepEqual([connection.emulator, connection.port], [false, h.port]);
    // The trust comes from the product's setting (the listener site sets it from the manifest).
    useRelayConnectionSettings({ trustedCertificates: [cert] });
    t.after(() => useRelayConnectionSettings({ trustedCertificates: undefined }));
    const listener = new RelayListener({ connection, onCall: echo });
    listener.start();
    t.after(() => listener.close());
    await waitFor(() => listener.state === 'Connected', 'the listener to connect over wss://');
    const token = createHybridConnectionToken(connection, connection.keyName!, connection.key!);
    const url = httpUri(connection, '/tables?x=1');
    assert.match(url, new RegExp(`^https://127\\.0\\.0\\.1:${h.port}/sql-orders/tables\\?x=1$`));
    const small = await relayHttpRequest(url, { method: 'POST', headers: { ServiceBusAuthorization: token }, body: 'abc' });
    assert.deepEqual([small.status, small.body], [200, 'POST /sql-orders/tables?x=1 abcabc']);
    const big = 'x'.repeat(70_000);
    const large = await relayHttpRequest(url, { method: 'POST', headers: { ServiceBusAuthorization: token }, body: big });
    assert.equal(large.status, 200);
    assert.equal(large.body.length, 'POST /sql-orders/tables?x=1 '.length + 140_000, 'request and response both went through wss:// rendezvous');
    assert.equal(listener.stats.handlerErrors, 0);
  });
});
