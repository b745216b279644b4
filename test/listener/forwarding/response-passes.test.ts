/**
 * The response passes and the one upstream-error mapping.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildResponseHeaders, echoCorrelationId, stripResponseHopByHop } from '../../../src/listener/forwarding/response-passes';
import { ConnectorTimeoutError, toUpstreamError } from '../../../src/listener/forwarding/upstream-error';

describe('response passes', () => {
  it('drops hop-by-hop response headers', () => {
    assert.deepEqual(stripResponseHopByHop({ connection: 'keep-alive', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked', 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] }, 'c'), {
      'content-type': 'text/plain',
      'set-cookie': ['a=1', 'b=2'],
    });
  });

  it('echoes the correlation id only when the connector did not', () => {
    assert.equal(echoCorrelationId({}, 'c-1')['x-correlation-id'], 'c-1');
    assert.equal(echoCorrelationId({ 'x-correlation-id': 'from-connector' }, 'c-1')['x-correlation-id'], 'from-connector');
    assert.deepEqual(buildResponseHeaders({ connection: 'close', etag: '"1"' }, 'c-2'), { etag: '"1"', 'x-correlation-id': 'c-2' });
  });
});

describe('upstream errors', () => {
  it('maps a refused connection to 502 ConnectorUnreachable naming the connector', () => {
    const error = toUpstreamError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6569'), { code: 'ECONNREFUSED' }), 'MicrosoftSqlConnector_001');
    assert.equal(error.status, 502);
    assert.equal(error.code, 'ConnectorUnreachable');
    assert.equal(error.toJSON().error.connector, 'MicrosoftSqlConnector_001');
    assert.match(error.message, /MicrosoftSqlConnector_001.*refused/);
  });

  it('maps a reset or unknown failure to 502 and a timeout to 504 ConnectorTimeout with the time', () => {
    assert.equal(toUpstreamError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'c').code, 'ConnectorUnreachable');
    assert.equal(toUpstreamError(new Error('weird'), 'c').status, 502);
    const timeout = toUpstreamError(new ConnectorTimeoutError(1500), 'MicrosoftSqlConnector_002');
    assert.equal(timeout.status, 504);
    assert.equal(timeout.code, 'ConnectorTimeout');
    assert.deepEqual(timeout.toJSON().error, { connector: 'MicrosoftSqlConnector_002', timeoutMs: 1500, code: 'ConnectorTimeout', message: timeout.message });
  });
});
