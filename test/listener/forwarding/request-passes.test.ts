/**
 * The request passes, each alone, then composed in their fixed order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ConnectorTarget } from '../../../src/listener/forwarding/connector-target';
import {
  addForwardingHeaders,
  buildOutgoingRequest,
  connectorPath,
  ensureCorrelationId,
  IncomingCall,
  OutgoingRequest,
  setConnectorHost,
  stripEntityPath,
  stripHopByHop,
} from '../../../src/listener/forwarding/request-passes';

const target: ConnectorTarget = { connector: 'MicrosoftSqlConnector_001', port: 6569, entityPath: 'sql-orders', namespace: 'contoso.servicebus.windows.net', proto: 'https' };
const incoming: IncomingCall = { method: 'get', target: '/sql-orders/tables?x=1', headers: {}, remoteAddress: '203.0.113.7' };
const outgoing = (headers: OutgoingRequest['headers'] = {}, path = '/sql-orders/tables?x=1'): OutgoingRequest => ({ method: 'GET', path, headers, correlationId: '' });

describe('request passes', () => {
  it('strips hop-by-hop headers and the ones Connection names, keeping the rest', () => {
    const result = stripHopByHop(
      outgoing({ connection: 'keep-alive, x-private', 'keep-alive': 'timeout=5', te: 'trailers', upgrade: 'h2c', 'transfer-encoding': 'chunked', 'x-private': 'p', 'proxy-authorization': 'Basic x', accept: 'application/json', 'content-length': '5' }),
      incoming,
      target,
    );
    assert.deepEqual(result.headers, { accept: 'application/json', 'content-length': '5' });
  });

  it('removes the entity path from the target on a segment boundary, case-insensitively', () => {
    assert.equal(connectorPath('/sql-orders', 'sql-orders'), '/');
    assert.equal(connectorPath('/sql-orders/', 'sql-orders'), '/');
    assert.equal(connectorPath('/sql-orders?$top=1', 'sql-orders'), '/?$top=1');
    assert.equal(connectorPath('/SQL-Orders/tables/Customers?x=%20y', 'sql-orders'), '/tables/Customers?x=%20y');
    assert.equal(connectorPath('/sql-ordersX/tables', 'sql-orders'), '/sql-ordersX/tables');
    assert.equal(connectorPath('/a/b/c?d', 'a/b'), '/c?d');
    assert.equal(stripEntityPath(outgoing(), incoming, target).path, '/tables?x=1');
  });

  it('maps any relayed target under the entity path to the rest of it (property)', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~%-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 4 }), fc.option(fc.stringMatching(/^[A-Za-z0-9=&%$._-]{0,20}$/)), (segments, query) => {
        const rest = `/${segments.join('/')}${query === null ? '' : `?${query}`}`;
        assert.equal(connectorPath(`/sql-orders${rest}`, 'sql-orders'), rest);
      }),
    );
  });

  it('keeps a sane caller X-Correlation-Id and replaces a missing or unsafe one', () => {
    assert.equal(ensureCorrelationId(outgoing({ 'x-correlation-id': 'abc-123' }), incoming, target).correlationId, 'abc-123');
    const unsafe = ensureCorrelationId(outgoing({ 'x-correlation-id': 'has spaces\r\nand breaks' }), incoming, target);
    assert.match(unsafe.correlationId, /^[0-9a-f-]{36}$/);
    assert.equal(unsafe.headers['x-correlation-id'], unsafe.correlationId);
    const made = ensureCorrelationId(outgoing(), incoming, target);
    assert.match(made.correlationId, /^[0-9a-f-]{36}$/);
    assert.notEqual(made.correlationId, ensureCorrelationId(outgoing(), incoming, target).correlationId);
  });

  it('adds X-Forwarded-For/Proto/Host/Prefix, appending the caller to an existing X-Forwarded-For', () => {
    const result = addForwardingHeaders(outgoing({ host: 'relay.example:443', 'x-forwarded-for': '198.51.100.1', 'x-forwarded-proto': 'gopher' }), incoming, target);
    assert.equal(result.headers['x-forwarded-for'], '198.51.100.1, 203.0.113.7');
    assert.equal(result.headers['x-forwarded-proto'], 'https');
    assert.equal(result.headers['x-forwarded-host'], 'relay.example:443');
    assert.equal(result.headers['x-forwarded-prefix'], '/sql-orders');
    const noHost = addForwardingHeaders(outgoing(), { ...incoming, remoteAddress: undefined }, { ...target, proto: 'http' });
    assert.equal(noHost.headers['x-forwarded-host'], 'contoso.servicebus.windows.net');
    assert.equal(noHost.headers['x-forwarded-proto'], 'http');
    assert.equal(noHost.headers['x-forwarded-for'], undefined);
  });

  it('points Host at the connector site on loopback', () => {
    assert.equal(setConnectorHost(outgoing({ host: 'contoso.servicebus.windows.net' }), incoming, target).headers.host, '127.0.0.1:6569');
  });

  it('runs the passes in order over a relayed call', () => {
    const result = buildOutgoingRequest(
      { method: 'patch', target: '/sql-orders/tables/Orders(1)', headers: { Host: 'ns.example', Connection: 'close', 'Content-Type': 'application/json', 'X-Correlation-Id': 'c-1' }, remoteAddress: '192.0.2.9' },
      target,
    );
    assert.deepEqual(result, {
      method: 'PATCH',
      path: '/tables/Orders(1)',
      correlationId: 'c-1',
      headers: {
        'content-type': 'application/json',
        'x-correlation-id': 'c-1',
        'x-forwarded-for': '192.0.2.9',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'ns.example',
        'x-forwarded-prefix': '/sql-orders',
        host: '127.0.0.1:6569',
      },
    });
  });
});
