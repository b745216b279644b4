/**
 * Key segments route the same under iisnode as under the standalone host: the same encoded keys go
 * through both code paths (the raw URL on the request line; iisnode's decoded X-Original-URL target
 * plus its X-iisnode-UNENCODED_URL header, after a header the caller sent itself).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { silentLogger } from '../../../../src/common/logger';
import { createConnectorApp } from '../../../../src/connectors/sql/app';
import { ConnectorContext } from '../../../../src/connectors/sql/context';
import { iisnodeRawUrl, lastRawHeader, underIisnode } from '../../../../src/connectors/sql/http/iisnode-raw-url';
import { ConnectorMetrics, PoolStats } from '../../../../src/connectors/sql/http/metrics';

const KEYS = ['a%2Fb', 'a%23b', '100%25', 'a%3Fb', 'a%252Fb', 'plain', '2026-01-01T10%3A00%3A00%2B01%3A00'];

/** What iisnode puts on the request line: URL Rewrite's X-Original-URL, percent-decoded. */
function iisnodeTarget(rawPath: string): string {
  return rawPath.split('/').map((segment) => decodeURIComponent(segment)).join('/');
}

function get(port: number, target: string, headers: http.OutgoingHttpHeaders = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('routing on the raw URL under iisnode', () => {
  let withRaw: { server: http.Server; port: number };
  let withoutRaw: { server: http.Server; port: number };

  before(async () => {
    // The connector's own route shape for a key segment.
    const echo = (useRaw: boolean) => {
      const app = express();
      if (useRaw) app.use(iisnodeRawUrl());
      app.get('/tables/:table/items/:key', (req, res) => res.json({ table: req.params.table, key: req.params.key }));
      app.use((_req, res) => res.status(404).json({ error: 'no route' }));
      app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => res.status(400).json({ error: 'bad URL' }));
      return app;
    };
    withRaw = await listen(echo(true));
    withoutRaw = await listen(echo(false));
  });
  after(() => {
    withRaw.server.close();
    withoutRaw.server.close();
  });

  it('gives every encoded key the same value through iisnode as through the standalone host', async () => {
    for (const key of KEYS) {
      const raw = `/tables/Orders/items/${key}`;
      const standalone = await get(withRaw.port, raw);
      const viaIisnode = await get(withRaw.port, iisnodeTarget(raw), { 'X-iisnode-UNENCODED_URL': ['/tables/Evil/items/x', raw] });
      assert.equal(standalone.status, 200, key);
      assert.deepEqual(JSON.parse(viaIisnode.body), JSON.parse(standalone.body), key);
      assert.equal(JSON.parse(standalone.body).key, decodeURIComponent(key), key);
    }
  });

  it('shows why: on iisnode\'s decoded target alone, those keys split, fail or decode twice', async () => {
    const differing = [];
    for (const key of KEYS.filter((k) => k !== 'plain')) {
      const raw = `/tables/Orders/items/${key}`;
      const decoded = await get(withoutRaw.port, iisnodeTarget(raw));
      if (decoded.status !== 200 || JSON.parse(decoded.body).key !== decodeURIComponent(key)) differing.push(key);
    }
    assert.deepEqual(differing, ['a%2Fb', 'a%23b', '100%25', 'a%3Fb', 'a%252Fb']);
  });

  it('takes the last X-iisnode-UNENCODED_URL, and is on only under iisnode', () => {
    assert.equal(lastRawHeader(['Host', 'x', 'X-IISNODE-UNENCODED_URL', '/a', 'x-iisnode-unencoded_url', '/b'], 'x-iisnode-unencoded_url'), '/b');
    assert.equal(lastRawHeader(['Host', 'x'], 'x-iisnode-unencoded_url'), undefined);
    assert.equal(underIisnode({ IISNODE_VERSION: '0.2.27' }), true);
    assert.equal(underIisnode({}), false);
  });

  it('is wired into the connector app: an iisnode request for "/" gets the 403.14 page', async () => {
    // The root route needs no database: a context with a logger and metrics is enough.
    const metrics = new ConnectorMetrics('MicrosoftSqlConnector_001', (): PoolStats => ({ size: 0, inUse: 0, waiters: 0 }));
    const ctx = { logger: silentLogger(), siteName: 'MicrosoftSqlConnector_001', hasSettings: false, metrics } as unknown as ConnectorContext;
    const site = await listen(createConnectorApp(ctx, { rawUrlFromIisnode: true }));
    try {
      const response = await get(site.port, '/server.js', { 'X-iisnode-UNENCODED_URL': '/' });
      assert.equal(response.status, 403);
      assert.match(response.body, /HTTP Error 403\.14 - Forbidden/);
    } finally {
      site.server.close();
    }
  });
});
