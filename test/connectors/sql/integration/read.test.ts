/**
 * Reading through real HTTP → connector → mssql → target: discovery, metadata, paging through
 * 10,000 rows, query options, exact types, and injection attempts in every read path.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunningConnector, withConnector } from './connector';
import { NUMBER_ROWS, SECRET_CODE } from './seed';
import { RunningTarget, TARGETS } from './targets';

const FORWARDED = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'contoso.servicebus.windows.net', 'X-Forwarded-Prefix': '/sql-orders' };

for (const definition of TARGETS) {
  if (definition.unavailable) console.log(`# SQL connector reads: ${definition.unavailable}`);
  describe(`SQL connector reads (${definition.name})`, { skip: definition.unavailable }, () => {
    let target: RunningTarget;
    let connector: RunningConnector;
    const bodies: string[] = [];
    /** GET with the query string encoded from `query` (values as a caller would type them). */
    const get = async (path: string, headers: Record<string, string> = {}, query?: Record<string, string>) => {
      const url = query ? `${path}?${new URLSearchParams(query).toString()}` : path;
      const response = await connector.http.get(url).set(headers);
      bodies.push(response.text ?? '');
      return response;
    };

    withConnector(definition, (t, c) => {
      target = t;
      connector = c;
    });

    it('answers the root with IIS\'s 403.14 page, /health and /health/ready', async () => {
      const root = await get('/');
      assert.equal(root.status, 403);
      assert.match(root.text, /HTTP Error 403\.14 - Forbidden/);
      assert.deepEqual((await get('/health')).body, { status: 'ok' });
      const ready = await get('/health/ready');
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.body, { status: 'ready', database: target.connection.database });
      assert.ok(ready.headers['x-correlation-id']);
    });

    it('lists the allowed tables with columns, types, identity and primary keys, and the allowed procedures', async () => {
      const tables = (await get('/tables')).body.value as Array<{ name: string; schema: string; primaryKey: string[]; columns: Array<{ name: string; type: string; nullable: boolean; identity: boolean }> }>;
      assert.deepEqual(tables.map((t) => t.name).sort(), ['HcmCustomers', 'HcmLines', 'HcmNumbers', 'HcmOrders', 'HcmQueue']);
      const ordersTable = tables.find((t) => t.name === 'HcmOrders')!;
      assert.equal(ordersTable.schema, 'dbo');
      assert.deepEqual(ordersTable.primaryKey, ['Id']);
      assert.deepEqual(ordersTable.columns.find((c) => c.name === 'Id'), { name: 'Id', type: 'int', nullable: false, identity: true });
      assert.equal(ordersTable.columns.find((c) => c.name === 'Total')!.type, 'decimal(38,10)');
      assert.equal(ordersTable.columns.find((c) => c.name === 'Note')!.type, 'nvarchar(200)');
      assert.deepEqual(tables.find((t) => t.name === 'HcmLines')!.primaryKey, ['OrderId', 'LineNo']);
      const procedures = (await get('/procedures')).body.value;
      assert.deepEqual(procedures, [
        { name: 'HcmCustomerOrders', schema: 'dbo', parameters: [{ name: 'CustomerId', type: 'int', direction: 'in' }, { name: 'OrderCount', type: 'int', direction: 'inout' }] },
      ]);
    });

    it('pages through all 10,000 rows by nextLink, each row once and in order', async () => {
      const seen: number[] = [];
      let link: string | undefined = '/tables/HcmNumbers/items?$select=N';
      let pages = 0;
      while (link) {
        const response = await get(link);
        assert.equal(response.status, 200, response.text);
        for (const row of response.body.value as Array<{ N: number }>) seen.push(row.N);
        link = response.body.nextLink;
        pages += 1;
        assert.ok(pages <= 11, 'too many pages');
      }
      assert.equal(pages, 10);
      assert.equal(seen.length, NUMBER_ROWS);
      assert.deepEqual(seen, Array.from({ length: NUMBER_ROWS }, (_, i) => i + 1));
    });

    it('pages a filtered, descending order under $top, with links absolute behind the listener and relative otherwise', async () => {
      const first = await get('/tables/HcmNumbers/items', FORWARDED, { $filter: 'Even eq true and N gt 100', $orderby: 'Label desc', $top: '1500', $select: 'N,Label' });
      assert.equal(first.status, 200);
      assert.equal(first.body.value.length, 1000);
      assert.match(first.body.nextLink, /^https:\/\/contoso\.servicebus\.windows\.net\/sql-orders\/tables\/HcmNumbers\/items\?\$skiptoken=[A-Za-z0-9_-]+$/);
      const link = new URL(first.body.nextLink);
      const next = await get(link.pathname.replace('/sql-orders', '') + link.search);
      assert.equal(next.body.value.length, 500);
      assert.equal(next.body.nextLink, undefined);
      const labels = [...first.body.value, ...next.body.value].map((r: { Label: string }) => r.Label);
      const expected = Array.from({ length: NUMBER_ROWS }, (_, i) => i + 1).filter((n) => n % 2 === 0 && n > 100).map((n) => `n${n}`).sort().reverse().slice(0, 1500);
      assert.deepEqual(labels, expected);
      const relative = await get('/tables/HcmNumbers/items?$top=1001&$select=N');
      assert.match(relative.body.nextLink, /^\/tables\/HcmNumbers\/items\?\$skiptoken=/);
    });

    it('applies $skip and $select, and answers an empty $top=0', async () => {
      const tail = await get('/tables/HcmNumbers/items?$skip=9995&$select=N');
      assert.deepEqual(tail.body, { value: [9996, 9997, 9998, 9999, 10000].map((N) => ({ N })) });
      assert.deepEqual((await get('/tables/HcmNumbers/items?$top=0')).body, { value: [] });
      const named = await get('/tables/dbo.hcmnumbers/items', {}, { $filter: "startswith(Label,'n999') and not (N eq 999)", $orderby: 'N' });
      assert.deepEqual(named.body.value.map((r: { N: number }) => r.N), [9990, 9991, 9992, 9993, 9994, 9995, 9996, 9997, 9998, 9999]);
    });

    it('streams all 10,000 rows of a 2015 select in one response', async () => {
      const response = await connector.http.post('/tables/HcmNumbers/select').send({ fields: 'N' });
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
      const numbers = (response.body.value as Array<{ N: number }>).map((r) => r.N).sort((a, b) => a - b);
      assert.deepEqual(numbers, Array.from({ length: NUMBER_ROWS }, (_, i) => i + 1));
    });

    it('reads one row by key, a composite key, and answers 404 ItemNotFound for a missing key', async () => {
      assert.deepEqual((await get('/tables/HcmNumbers/items/42')).body, { N: 42, Label: 'n42', Even: true });
      assert.deepEqual((await get('/tables/HcmLines/items/OrderId=1,LineNo=2?$select=Sku')).body, { Sku: 'B,2' });
      assert.deepEqual((await get("/tables/HcmLines/items/LineNo=1,OrderId=2")).body, { OrderId: 2, LineNo: 1, Sku: "C'3", Qty: 5 });
      const missing = await get('/tables/HcmNumbers/items/10001');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'ItemNotFound');
    });

    it('returns bigint, decimal and money as exact strings and keeps datetimeoffset\'s offset', async () => {
      const row = (await get('/tables/HcmOrders/items/1')).body;
      // Strings with the column's scale, never JSON numbers (which the driver would have rounded).
      assert.match(row.Total, /^\d{20}\.\d{10}$/);
      assert.match(row.Amount, /^\d{15}\.\d{4}$/);
      assert.equal(row.Big, '9223372036854775807');
      if (definition.faithfulTypes) {
        assert.equal(row.Total, '12345678901234567890.1234567891');
        assert.equal(row.Amount, '922337203685477.5807');
      } else {
        console.log(`# ${definition.name} stores decimal/money as doubles (Total came back as ${row.Total}) and datetimeoffset as text: exact values and cross-offset comparisons are checked against SQL Server only`);
      }
      assert.equal(row.PlacedAt, '2024-05-01T10:00:00.1234567+02:00');
      assert.equal(row.Placed, '2024-05-01T10:00:00.1234567');
      assert.match(row.Version, /^[A-Za-z0-9+/]{11}=$/);
      const second = (await get('/tables/HcmOrders/items/2')).body;
      assert.deepEqual([second.Total, second.Big, second.PlacedAt], ['0.5000000000', '-42', '2024-05-02T00:00:00-05:30']);
      const exact = await get('/tables/HcmOrders/items', {}, { $filter: 'Total eq 0.5', $select: 'Id' });
      assert.deepEqual(exact.body.value, [{ Id: 2 }]);
      if (definition.faithfulTypes) {
        const big = await get('/tables/HcmOrders/items', {}, { $filter: 'Total eq 12345678901234567890.1234567891', $select: 'Id' });
        assert.deepEqual(big.body.value, [{ Id: 1 }]);
      }
      const sameOffset = await get('/tables/HcmOrders/items', {}, { $filter: 'PlacedAt ge 2024-05-02T00:00:00-05:30', $select: 'Id' });
      assert.deepEqual(sameOffset.body.value, [{ Id: 2 }]);
      if (definition.faithfulTypes) {
        // 10:00+02:00 is 08:00Z: compared by instant, not by text.
        const otherOffset = await get('/tables/HcmOrders/items', {}, { $filter: 'PlacedAt lt 2024-05-01T09:00:00Z', $select: 'Id' });
        assert.deepEqual(otherOffset.body.value, [{ Id: 1 }]);
      }
    });

    it('keeps injection attempts in $filter, $orderby and $select out of the SQL', async () => {
      const quoted = await get('/tables/HcmNumbers/items', {}, { $filter: "Label eq 'n1'' or ''1''=''1'" });
      assert.equal(quoted.status, 200);
      assert.deepEqual(quoted.body.value, []);
      for (const [name, value] of [
        ['$filter', 'N eq 1; DROP TABLE dbo.HcmSecret'], ['$filter', 'N eq 1 or 1 eq 1'], ['$filter', "Label eq 'a' + (SELECT Code FROM dbo.HcmSecret)"],
        ['$orderby', 'N; DROP TABLE dbo.HcmSecret'], ['$orderby', '(SELECT 1)'], ['$select', 'N,(SELECT Code FROM dbo.HcmSecret)'], ['$select', '*,Code'],
        ['$top', '1;DROP TABLE dbo.HcmSecret'], ['$skiptoken', 'eyJ2IjoxfQ'], ['$skiptoken', "'; DROP TABLE x --"],
      ]) {
        const response = await get('/tables/HcmNumbers/items', {}, { [name]: value });
        assert.equal(response.status, 400, `${name}=${value} → ${response.status} ${response.text}`);
        assert.ok(['InvalidQueryOption', 'ColumnNotFound'].includes(response.body.error.code), `${name}=${value}`);
      }
    });

    it('refuses tables outside the allow-list and hostile table and key segments', async () => {
      for (const table of ['HcmSecret', 'dbo.HcmSecret', 'HCMSECRET', 'sys.objects', 'INFORMATION_SCHEMA.TABLES', 'HcmNumbers;DROP TABLE dbo.HcmSecret', "HcmNumbers' --", 'master.dbo.HcmNumbers']) {
        const response = await get(`/tables/${encodeURIComponent(table)}/items`);
        assert.equal(response.status, 404, table);
        assert.equal(response.body.error.code, 'TableNotFound');
      }
      for (const key of ['1 OR 1=1', "1'; DROP TABLE dbo.HcmSecret --", "'1'' OR ''1''=''1'", 'N=1,N=2', '(SELECT 1)']) {
        const response = await get(`/tables/HcmNumbers/items/${encodeURIComponent(key)}`);
        assert.equal(response.status, 400, `${key}: ${response.text}`);
      }
    });

    it('never let a secret row out, and the secret table is still there', async () => {
      assert.ok(bodies.length > 10);
      assert.ok(!bodies.some((body) => body.includes(SECRET_CODE)), 'a response carried the secret table\'s data');
      assert.deepEqual(await connector.query('SELECT Code FROM dbo.HcmSecret'), [{ Code: SECRET_CODE }]);
      assert.deepEqual(await connector.query('SELECT COUNT(*) AS n FROM dbo.HcmNumbers'), [{ n: NUMBER_ROWS }]);
    });

    it('describes the allowed tables in OpenAPI 3, Swagger 2.0 and apiapp.json, with forwarded links', async () => {
      const openapi = (await get('/openapi.json', FORWARDED)).body;
      assert.equal(openapi.openapi, '3.0.3');
      assert.equal(openapi.servers[0].url, 'https://contoso.servicebus.windows.net/sql-orders');
      assert.ok(openapi.paths['/tables/HcmOrders/items'].get);
      assert.ok(openapi.paths['/tables/HcmLines/items/{key}'].put);
      assert.ok(openapi.paths['/tables/HcmCustomers/triggers/new']);
      assert.ok(openapi.paths['/tables/HcmOrders/triggers/changed']);
      assert.ok(openapi.paths['/procedures/HcmCustomerOrders'].post);
      assert.deepEqual(openapi.components.schemas.dbo_HcmOrders_Row.properties.Total.format, 'decimal');
      assert.equal(openapi.components.schemas.dbo_HcmOrders_Row.properties.Id.readOnly, true);
      assert.ok(!JSON.stringify(openapi).includes('HcmSecret'));
      const swagger = (await get('/swagger/docs/v1', FORWARDED)).body;
      assert.equal(swagger.swagger, '2.0');
      assert.equal(swagger.host, 'contoso.servicebus.windows.net');
      assert.equal(swagger.basePath, '/sql-orders');
      assert.equal(swagger.paths['/tables/HcmOrders/insert'].post.operationId, 'InsertIntoHcmOrders');
      assert.equal(swagger.paths['/poll'].get['x-ms-scheduler-trigger'], 'poll');
      const apiApp = (await get('/apiapp.json')).body;
      assert.equal(apiApp.endpoints.apiDefinition, '/swagger/docs/v1');
      assert.equal(apiApp.gateway, '2015-01-14');
    });
  });
}
