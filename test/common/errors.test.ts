import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ERROR_CATALOGUE, HcmError, errors, toHcmError } from '../../src/common/errors';

const doc = fs.readFileSync(path.join(__dirname, '../../../docs/errors.md'), 'utf8');

/** The rows of docs/errors.md's table: | `Code` | status | when |. */
function documentedCodes(): Map<string, number> {
  const rows = new Map<string, number>();
  for (const match of doc.matchAll(/^\|\s*`([A-Za-z0-9]+)`\s*\|\s*(\d{3})\s*\|/gm)) rows.set(match[1], Number(match[2]));
  return rows;
}

describe('the error catalogue', () => {
  it('and docs/errors.md list the same codes with the same statuses', () => {
    const documented = documentedCodes();
    const catalogued = new Map(Object.entries(ERROR_CATALOGUE).map(([code, def]) => [code, def.status]));
    assert.ok(documented.size > 0, 'docs/errors.md has no table rows');
    assert.deepEqual([...documented.entries()].sort(), [...catalogued.entries()].sort());
  });

  it('renders the DESIGN.md JSON shape with named details and no undefined fields', () => {
    const error = errors.connectorUnreachable('MicrosoftSqlConnector_001', 'connection refused');
    assert.equal(error.status, 502);
    assert.deepEqual(JSON.parse(JSON.stringify(error)), {
      error: {
        code: 'ConnectorUnreachable',
        message: 'Connector MicrosoftSqlConnector_001 could not be reached: connection refused.',
        connector: 'MicrosoftSqlConnector_001',
      },
    });
    assert.deepEqual(new HcmError('BadRequest', 'x', { field: undefined }).toJSON(), { error: { code: 'BadRequest', message: 'x' } });
  });

  it('never lets a detail override the code or message', () => {
    const body = new HcmError('BadRequest', 'real', { code: 'Fake', message: 'fake' }).toJSON();
    assert.equal(body.error.code, 'BadRequest');
    assert.equal(body.error.message, 'real');
  });

  it('turns unknown failures into InternalError without their text', () => {
    const rendered = toHcmError(new Error('password=hunter2 leaked'));
    assert.equal(rendered.code, 'InternalError');
    assert.ok(!rendered.message.includes('hunter2'));
    assert.equal(toHcmError(errors.tableNotFound('Orders')).code, 'TableNotFound');
  });

  it('keeps the 4xx a library put on its error, under a catalogue code and without its message', () => {
    const withStatus = (status: number, message = "Failed to decode param '%C0%AF'") => Object.assign(new URIError(message), { status, statusCode: status, expose: true });
    const cases: Array<[unknown, string, number]> = [
      [withStatus(400), 'BadRequest', 400], [withStatus(413), 'PayloadTooLarge', 413], [withStatus(415), 'UnsupportedMediaType', 415],
      [withStatus(404), 'NotFound', 404], [withStatus(405), 'MethodNotAllowed', 405], [withStatus(411), 'BadRequest', 400], [withStatus(403), 'BadRequest', 400],
      [withStatus(500), 'InternalError', 500], [withStatus(503), 'InternalError', 500], [{ statusCode: 431 }, 'BadRequest', 400], [new TypeError('x'), 'InternalError', 500],
    ];
    for (const [error, code, status] of cases) {
      const rendered = toHcmError(error);
      assert.deepEqual([rendered.code, rendered.status], [code, status], JSON.stringify(error));
      assert.doesNotMatch(JSON.stringify(rendered.toJSON()), /%C0|decode param/);
    }
  });

  it('gives every named constructor a catalogued code', () => {
    const samples = [
      errors.badRequest('b'), errors.notFound('/x'), errors.methodNotAllowed('PUT', '/x'), errors.hybridConnectionNotFound('hc'),
      errors.connectorTimeout('c', 5), errors.webSocketNotSupported('hc'), errors.shuttingDown('s'), errors.procedureNotFound('p'),
      errors.itemNotFound('t', '1'), errors.invalidConfigurationString('m', 'Endpoint'), errors.internal(),
    ];
    for (const sample of samples) assert.equal(sample.status, ERROR_CATALOGUE[sample.code].status);
    assert.equal(errors.shuttingDown('s').headers['Retry-After'], '5');
  });
});
