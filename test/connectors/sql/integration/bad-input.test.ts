/**
 * Bad input straight to the connector never gets a 500 (issue 16): a bad percent-encoding in the
 * path, a corrupt gzip body, a procedure called without a parameter it needs or with a body that is
 * not a JSON object, and `{}` as a new row. Each answer is a catalogue code that echoes no input.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { RunningConnector, eventually, withConnector } from './connector';
import { TARGETS } from './targets';

for (const definition of TARGETS) {
  describe(`SQL connector bad input (${definition.name})`, { skip: definition.unavailable }, () => {
    let connector: RunningConnector;

    withConnector(definition, (_target, c) => {
      connector = c;
    });

    it('answers 400 BadRequest to invalid percent-encoding in a path, echoing none of it', async () => {
      for (const [method, path] of [
        ['get', '/tables/HcmNumbers/items/%C0%AF'], ['delete', '/tables/HcmNumbers/items/%C0%AF'], ['get', '/tables/%C0%AE%C0%AE/items'],
        ['patch', '/tables/HcmNumbers/items/%E0%A4%A'], ['get', '/tables/%ZZ'],
      ] as const) {
        const response = await connector.http[method](path).set('Content-Type', 'application/json').send(method === 'patch' ? '{}' : undefined);
        assert.deepEqual([response.status, response.body.error?.code], [400, 'BadRequest'], `${method} ${path}: ${response.text}`);
        assert.doesNotMatch(response.text, /%C0|%E0|%ZZ|decode param/i);
      }
    });

    it('keeps body-parser\'s 4xx: a truncated gzip body is 400, an unknown Content-Encoding 415', async () => {
      const gzip = zlib.gzipSync(Buffer.from(JSON.stringify({ Payload: 'x'.repeat(200) })));
      const post = (encoding: string, body: Buffer) =>
        rawPost(`${connector.url}/tables/HcmQueue/items`, { 'content-type': 'application/json', 'content-encoding': encoding }, body);
      const truncated = await post('gzip', gzip.subarray(0, gzip.length - 12));
      assert.deepEqual([truncated.status, truncated.body.error?.code], [400, 'BadRequest'], truncated.text);
      const garbage = await post('gzip', Buffer.from('not gzip at all'));
      assert.deepEqual([garbage.status, garbage.body.error?.code], [400, 'BadRequest'], garbage.text);
      const unknown = await post('x-lzma', Buffer.from('{}'));
      assert.deepEqual([unknown.status, unknown.body.error?.code], [415, 'UnsupportedMediaType'], unknown.text);
      const whole = await post('gzip', gzip);
      assert.equal(whole.status, 201, whole.text);
    });

    it('answers 400 naming a procedure parameter the body leaves out', async () => {
      const response = await connector.http.post('/procedures/dbo.HcmCustomerOrders').send({});
      assert.deepEqual([response.status, response.body.error?.code], [400, 'BadRequest'], response.text);
      assert.equal(response.body.error.parameter, 'CustomerId');
      assert.match(response.body.error.message, /CustomerId/);
    });

    it('refuses a procedure body that is not a JSON object, as table writes do', async () => {
      const array = await connector.http.post('/procedures/HcmCustomerOrders').send([]);
      const empty = await connector.http.post('/procedures/HcmCustomerOrders');
      const text = await connector.http.post('/procedures/HcmCustomerOrders').set('Content-Type', 'text/plain').send('CustomerId=1');
      const number = await connector.http.post('/procedures/HcmCustomerOrders').set('Content-Type', 'application/json').send('42');
      for (const [name, response] of Object.entries({ array, empty, text, number })) {
        assert.deepEqual([response.status, response.body.error?.code], [400, 'BadRequest'], `${name}: ${response.text}`);
      }
      const tableText = await connector.http.post('/tables/HcmQueue/items').set('Content-Type', 'text/plain').send('Payload=1');
      assert.equal(tableText.status, 400);
    });

    it('answers {} as a new row with 400 NullNotAllowed on a table that needs values, 201 where every column has a default', async () => {
      const orders = await connector.http.post('/tables/HcmOrders/items').send({});
      assert.deepEqual([orders.status, orders.body.error?.code], [400, 'NullNotAllowed'], orders.text);
      assert.equal(orders.body.error.sqlErrorNumber, 515);
      await connector.query(`IF OBJECT_ID('dbo.HcmDefaults', 'U') IS NULL CREATE TABLE dbo.HcmDefaults (
        Id int IDENTITY(1,1) NOT NULL PRIMARY KEY, Label nvarchar(20) NOT NULL DEFAULT N'none', Note nvarchar(20) NULL)`);
      connector.updateSettings({ tables: ['HcmCustomers', 'dbo.HcmOrders', 'HcmLines', 'HcmNumbers', 'HcmQueue', 'HcmDefaults'] });
      await eventually(async () => (await connector.http.get('/tables/HcmDefaults/items')).status === 200, 10_000, 'the new table to be allowed');
      const created = await connector.http.post('/tables/HcmDefaults/items').send({});
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.value[0].Label, 'none');
      assert.equal(created.body.value[0].Note, null);
      assert.equal(typeof created.body.value[0].Id, 'number');
    });
  });
}

/** A POST with the exact bytes given (supertest would re-serialize a Buffer sent as JSON). */
function rawPost(url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string; body: { error?: { code?: string } } }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = {};
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = {};
        }
        resolve({ status: response.statusCode ?? 0, text, body: parsed });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}
