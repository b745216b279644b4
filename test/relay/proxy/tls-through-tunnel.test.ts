/**
 * wss:// and https:// through the CONNECT tunnel: TLS runs end to end with the relay, named by its
 * host (SNI and certificate check), exactly as without a proxy — the proxy only sees CONNECT.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import WebSocket from 'ws';
import { loadOrCreateTlsIdentity } from '../../../src/common/tls-certificate';
import { agentFor } from '../../../src/relay/proxy/proxy-agent';
import { resolveProxy } from '../../../src/relay/proxy/proxy-config';
import type { Context } from '../relay-fixtures';
import { Squid } from './squid';

const RELAY_NAME = 'relay.hcm.test';

async function tlsServer(t: Context, hosts: string[]): Promise<{ port: number; cert: string; servernames: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-tls-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const identity = loadOrCreateTlsIdentity({ dir, name: 'relay', hosts });
  const servernames: string[] = [];
  const server = https.createServer({ cert: identity.cert, key: identity.key }, (request, response) => response.end(`hello ${request.url}`));
  server.on('secureConnection', (socket) => servernames.push(String((socket as unknown as { servername?: string }).servername)));
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => socket.send('welcome'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { wss.close(); server.closeAllConnections(); server.close(() => resolve()); }));
  return { port: (server.address() as { port: number }).port, cert: identity.cert, servernames };
}

describe('TLS through the proxy tunnel', () => {
  it('wss:// and https:// reach the relay by name through Squid, with SNI and the certificate checked', async (t) => {
    const squid = await new Squid({ hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    const relay = await tlsServer(t, [RELAY_NAME]);
    const proxy = resolveProxy({ url: squid.url }, 'test');
    const body = await new Promise<string>((resolve, reject) => {
      https.get(`https://${RELAY_NAME}:${relay.port}/runtime`, { agent: agentFor(proxy, true), ca: relay.cert }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(text));
      }).on('error', reject);
    });
    assert.equal(body, 'hello /runtime');
    const message = await new Promise<string>((resolve, reject) => {
      const socket = new WebSocket(`wss://${RELAY_NAME}:${relay.port}/$hc/orders`, { agent: agentFor(proxy, true), ca: relay.cert });
      socket.on('message', (data) => {
        resolve(String(data));
        socket.close();
      });
      socket.on('error', reject);
    });
    assert.equal(message, 'welcome');
    assert.deepEqual(relay.servernames, [RELAY_NAME, RELAY_NAME]);
    await squid.stop();
    assert.deepEqual(squid.accessLog().map((entry) => `${entry.method} ${entry.url} ${entry.result}`), Array(2).fill(`CONNECT ${RELAY_NAME}:${relay.port} TCP_TUNNEL/200`));
  });

  it('refuses a relay whose certificate does not name it, even through the tunnel', async (t) => {
    const squid = await new Squid({ hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    const relay = await tlsServer(t, ['someone-else.test']);
    const error = await new Promise<Error>((resolve) => {
      https.get(`https://${RELAY_NAME}:${relay.port}/`, { agent: agentFor(resolveProxy({ url: squid.url }, 'test'), true), ca: relay.cert }, () => resolve(new Error('answered'))).on('error', resolve);
    });
    assert.match(error.message, /altnames|does not match|Hostname\/IP/i);
  });
});
