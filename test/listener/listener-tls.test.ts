/**
 * The listener service against the relay emulator in TLS mode, given a TLS-mode string (no
 * UseDevelopmentEmulator) and the emulator's certificate the way `hcm setup --relay-certificate`
 * stores it in the manifest: it connects over wss:// with that trust (and only with it), and
 * relays small and over-64-kB calls to its connector.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadOrCreateTlsIdentity } from '../../src/common/tls-certificate';
import { parseConfigurationString } from '../../src/config/connection-string';
import { ListenerService } from '../../src/listener/listener-service';
import { relayHttpRequest } from '../../src/relay/relay-http';
import { createHybridConnectionToken, httpUri } from '../../src/relay/uris';
import { manifestWith, startConnector, startRelay, waitFor } from '../relay/relay-fixtures';

describe('listener service with the relay emulator in TLS mode', () => {
  it('connects over wss:// trusting the certificate from the manifest, and relays calls of any size', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-listener-tls-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const { cert, key } = loadOrCreateTlsIdentity({ dir, name: 'hcm-relay-emulator', hosts: ['localhost', '127.0.0.1', '::1'] });
    const relay = await startRelay(t, ['sql-orders'], { tls: { cert, key } });
    const connector = await startConnector(t, (request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`${request.method} ${request.url} ${request.body.length}${request.url.endsWith('big') ? ' '.padEnd(80_000, '.') : ''}`);
    });
    const text = relay.connectionString('sql-orders');
    const manifest = manifestWith([{ connectionString: text, port: connector.port }]);
    const service = new ListenerService({ siteName: 'MicrosoftAzureBizTalkHybridListener' });
    t.after(() => service.shutdown(0));

    // Without the certificate the handshake fails and the listener keeps retrying.
    service.apply(manifest);
    await waitFor('an untrusted relay to be reported', () => service.status()[0]?.lastError?.match(/certificate/i));
    assert.notEqual(service.status()[0].state, 'Connected');

    // With it (what hcm setup --relay-certificate stores), the next attempt connects.
    manifest.connectors[0].hybridConnection.trustedCertificate = cert;
    service.apply(manifest);
    await waitFor('Connected over wss://', () => service.status()[0].state === 'Connected', 40_000);

    const connection = parseConfigurationString(text);
    const token = createHybridConnectionToken(connection, connection.keyName!, connection.key!);
    const headers = { ServiceBusAuthorization: token };
    const small = await relayHttpRequest(httpUri(connection, '/tables/Orders'), { headers });
    assert.deepEqual([small.status, small.body], [200, 'GET /tables/Orders 0']);
    const upload = await relayHttpRequest(httpUri(connection, '/big'), { method: 'POST', headers, body: 'u'.repeat(70_000) });
    assert.equal(upload.status, 200);
    assert.ok(upload.body.startsWith('POST /big 70000 '), upload.body.slice(0, 40));
    assert.ok(upload.body.length > 80_000, 'the response came back through a wss:// rendezvous');
  });
});
