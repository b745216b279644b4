import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectUri, httpUri, listenUri, tokenAudience } from '../../src/relay/uris';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const hyco = require('hyco-https') as {
  createRelayListenUri(ns: string, path: string): string;
  createRelaySendUri(ns: string, path: string): string;
  createRelayHttpsUri(ns: string, path: string): string;
};

const azure = { namespace: 'contoso.servicebus.windows.net', entityPath: 'sql-orders', emulator: false };
const emulator = { namespace: '127.0.0.1', port: 40123, entityPath: 'team/sql-orders', emulator: true };

describe('relay URIs', () => {
  it('builds the same Azure listen, connect and HTTP URIs as hyco-https', () => {
    assert.equal(listenUri(azure), hyco.createRelayListenUri(azure.namespace, azure.entityPath));
    assert.equal(connectUri(azure), hyco.createRelaySendUri(azure.namespace, azure.entityPath));
    assert.equal(httpUri(azure), hyco.createRelayHttpsUri(azure.namespace, azure.entityPath));
  });

  it('uses ws:// and http:// with the port for the emulator', () => {
    assert.equal(listenUri(emulator), 'ws://127.0.0.1:40123/$hc/team/sql-orders?sb-hc-action=listen');
    assert.equal(connectUri(emulator, { id: 'a b' }), 'ws://127.0.0.1:40123/$hc/team/sql-orders?sb-hc-action=connect&sb-hc-id=a%20b');
    assert.equal(httpUri(emulator, '/tables?$top=5'), 'http://127.0.0.1:40123/team/sql-orders/tables?$top=5');
    assert.equal(tokenAudience(emulator), 'http://127.0.0.1:40123/team/sql-orders');
  });

  it('honours an explicit Endpoint port for wss:// and https:// (the emulator in TLS mode, a front on another port)', () => {
    const tls = { namespace: '127.0.0.1', port: 40124, entityPath: 'sql-orders', emulator: false };
    assert.equal(listenUri(tls), 'wss://127.0.0.1:40124/$hc/sql-orders?sb-hc-action=listen');
    assert.equal(connectUri(tls), 'wss://127.0.0.1:40124/$hc/sql-orders?sb-hc-action=connect');
    assert.equal(httpUri(tls, '/tables'), 'https://127.0.0.1:40124/sql-orders/tables');
    assert.equal(listenUri({ ...azure, port: 443 }), hyco.createRelayListenUri(azure.namespace, azure.entityPath));
  });

  it('puts a token in the query URL-encoded', () => {
    const uri = new URL(listenUri(azure, { token: 'SharedAccessSignature sr=a&sig=b' }));
    assert.equal(uri.searchParams.get('sb-hc-token'), 'SharedAccessSignature sr=a&sig=b');
    assert.equal(uri.searchParams.get('sb-hc-action'), 'listen');
  });

  it('adds a path suffix without doubling slashes', () => {
    assert.equal(httpUri(azure, 'tables'), 'https://contoso.servicebus.windows.net/sql-orders/tables');
    assert.equal(httpUri(azure, '/tables'), 'https://contoso.servicebus.windows.net/sql-orders/tables');
  });
});
