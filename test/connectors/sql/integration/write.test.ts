/**
 * Writing through real HTTP → connector → mssql → target: every CRUD status code, the 2015 insert,
 * select, update and delete, SQL errors mapped to 409/400, request size limits, and whereClause
 * injection attempts (no row outside the filter is touched or returned).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunningConnector, eventually, withConnector } from './connector';
import { SECRET_CODE } from './seed';
import { TARGETS } from './targets';

for (const definition of TARGETS) {
  describe(`SQL connector writes (${definition.name})`, { skip: definition.unavailable }, () => {
    let connector: RunningConnector;

    withConnector(definition, (_target, c) => {
      connector = c;
    });

    const customerCount = async () => (await connector.query<{ n: number }>('SELECT COUNT(*) AS n FROM dbo.HcmCustomers'))[0].n;

    it('POST inserts one row → 201 with its identity and defaults, and a Location', async () => {
      const response = await connector.http.post('/tables/HcmCustomers/items').send({ Name: 'Tailspin', City: 'Lyon' });
      assert.equal(response.status, 201, response.text);
      const [row] = response.body.value;
      assert.equal(typeof row.Id, 'number');
      assert.deepEqual({ Name: row.Name, City: row.City }, { Name: 'Tailspin', City: 'Lyon' });
      assert.equal(response.headers.location, `/tables/HcmCustomers/items/${row.Id}`);
      const order = await connector.http.post('/tables/HcmOrders/items').send({ CustomerId: row.Id });
      assert.equal(order.status, 201, order.text);
      assert.equal(order.body.value[0].Total, '0.0000000000');
    });

    it('POST inserts an array in one transaction: all rows, in order — or none when one fails', async () => {
      const ok = await connector.http.post('/tables/HcmCustomers/items').send([{ Name: 'A1' }, { Name: 'A2', City: null }, { Name: 'A3' }]);
      assert.equal(ok.status, 201, ok.text);
      assert.deepEqual(ok.body.value.map((r: { Name: string }) => r.Name), ['A1', 'A2', 'A3']);
      const before = await customerCount();
      const failed = await connector.http.post('/tables/HcmCustomers/items').send([{ Name: 'B1' }, { Name: 'Contoso' }, { Name: 'B3' }]);
      assert.equal(failed.status, 409, failed.text);
      assert.equal(failed.body.error.code, 'UniqueViolation');
      assert.ok([2627, 2601].includes(failed.body.error.sqlErrorNumber));
      assert.equal(await customerCount(), before);
    });

    it('maps foreign-key and NOT NULL violations to 409 and 400, keeping the SQL error number', async () => {
      const fk = await connector.http.post('/tables/HcmOrders/items').send({ CustomerId: 999 });
      assert.equal(fk.status, 409);
      assert.deepEqual([fk.body.error.code, fk.body.error.sqlErrorNumber], ['ForeignKeyViolation', 547]);
      const nullName = await connector.http.post('/tables/HcmCustomers/items').send({ City: 'Nowhere' });
      assert.equal(nullName.status, 400);
      assert.deepEqual([nullName.body.error.code, nullName.body.error.sqlErrorNumber], ['NullNotAllowed', 515]);
    });

    it('refuses unknown columns, identity columns, bad values and non-JSON bodies before reaching SQL', async () => {
      const cases: Array<[unknown, string]> = [
        [{ Nope: 1 }, 'ColumnNotFound'], [{ Id: 5, Name: 'x' }, 'BadRequest'], [{ Name: { nested: true } }, 'BadRequest'], [[], 'BadRequest'], [[1], 'BadRequest'],
      ];
      for (const [body, code] of cases) {
        const response = await connector.http.post('/tables/HcmCustomers/items').send(body as object);
        assert.equal(response.body.error?.code, code, JSON.stringify(body));
      }
      const badValue = await connector.http.post('/tables/HcmOrders/items').send({ CustomerId: 'one' });
      assert.equal(badValue.status, 400);
      const text = await connector.http.post('/tables/HcmCustomers/items').set('Content-Type', 'application/json').send('{"Name":');
      assert.deepEqual([text.status, text.body.error.code], [400, 'BadRequest']);
      const plain = await connector.http.post('/tables/HcmCustomers/items').set('Content-Type', 'text/plain').send('Name=x');
      assert.equal(plain.status, 400);
    });

    it('PATCH changes a row → 200 with the row, 404 ItemNotFound when the key is missing', async () => {
      const patched = await connector.http.patch('/tables/HcmCustomers/items/3').send({ City: 'Oslo' });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual({ Id: patched.body.Id, Name: patched.body.Name, City: patched.body.City }, { Id: 3, Name: 'Northwind', City: 'Oslo' });
      const missing = await connector.http.patch('/tables/HcmCustomers/items/999').send({ City: 'x' });
      assert.deepEqual([missing.status, missing.body.error.code], [404, 'ItemNotFound']);
      const empty = await connector.http.patch('/tables/HcmCustomers/items/3').send({});
      assert.equal(empty.status, 400);
    });

    it('PUT upserts: 201 when the key is new, 200 when it exists; an identity key cannot be chosen', async () => {
      const created = await connector.http.put('/tables/HcmLines/items/OrderId=3,LineNo=1').send({ Sku: 'Z-9', Qty: 1 });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.body, { OrderId: 3, LineNo: 1, Sku: 'Z-9', Qty: 1 });
      const updated = await connector.http.put('/tables/HcmLines/items/OrderId=3,LineNo=1').send({ Qty: 4, OrderId: 3 });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.body.Qty, 4);
      const conflicting = await connector.http.put('/tables/HcmLines/items/OrderId=3,LineNo=1').send({ OrderId: 4 });
      assert.equal(conflicting.status, 400);
      const identity = await connector.http.put('/tables/HcmCustomers/items/999').send({ Name: 'Nobody' });
      assert.deepEqual([identity.status, identity.body.error.code], [404, 'ItemNotFound']);
    });

    it('DELETE → 204, then 404 ItemNotFound', async () => {
      assert.equal((await connector.http.delete('/tables/HcmLines/items/OrderId=3,LineNo=1')).status, 204);
      const again = await connector.http.delete('/tables/HcmLines/items/OrderId=3,LineNo=1');
      assert.deepEqual([again.status, again.body.error.code], [404, 'ItemNotFound']);
      assert.equal((await connector.http.delete('/tables/HcmLines/items/OrderId=3')).status, 400);
    });

    it('runs the 2015 insert, select, update and delete with whereClause', async () => {
      const inserted = await connector.http.post('/tables/HcmCustomers/insert').send({ rows: [{ Name: 'Legacy1', City: 'Rome' }, { Name: 'Legacy2', City: 'Rome' }] });
      assert.equal(inserted.status, 201, inserted.text);
      assert.equal(inserted.body.value.length, 2);
      const selected = await connector.http.post('/tables/HcmCustomers/select').send({ fields: 'Name, [City]', whereClause: "City = 'Rome' AND Name LIKE 'Legacy%'" });
      assert.equal(selected.status, 200, selected.text);
      assert.deepEqual(selected.body.value.map((r: { Name: string }) => r.Name).sort(), ['Legacy1', 'Legacy2']);
      assert.deepEqual(Object.keys(selected.body.value[0]).sort(), ['City', 'Name']);
      const updated = await connector.http.post('/tables/HcmCustomers/update').send({ set: { City: 'Milan' }, whereClause: "Name = 'Legacy1'" });
      assert.deepEqual(updated.body, { rowsAffected: 1 });
      const deleted = await connector.http.post('/tables/HcmCustomers/delete').send({ whereClause: "City = 'Milan' OR City = 'Rome'" });
      assert.deepEqual(deleted.body, { rowsAffected: 2 });
    });

    it('keeps whereClause injection attempts from reaching rows outside the filter', async () => {
      const before = await customerCount();
      const literal = await connector.http.post('/tables/HcmCustomers/select').send({ whereClause: "Name = 'x'' OR ''1''=''1'" });
      assert.deepEqual([literal.status, literal.body.value], [200, []]);
      // Comments are refused, as /query refuses them (issue 16).
      const commented = await connector.http.post('/tables/HcmCustomers/select').send({ whereClause: "Name = 'x' -- OR 1 = 1" });
      assert.deepEqual([commented.status, commented.body.error?.code], [400, 'InvalidWhereClause']);
      for (const whereClause of [
        "Name = 'x' OR 1 = 1", 'Id = 1; DROP TABLE dbo.HcmSecret', 'Id = 1 UNION SELECT Id, Code, NULL FROM dbo.HcmSecret', 'Id IN (SELECT Id FROM dbo.HcmSecret)',
        'Id = 1) OR (1 = 1', 'HcmSecret.Code = 1', 'Id = @@VERSION',
      ]) {
        const response = await connector.http.post('/tables/HcmCustomers/select').send({ whereClause });
        assert.equal(response.status, 400, `${whereClause}: ${response.text}`);
        assert.ok(!response.text.includes(SECRET_CODE));
      }
      const noClause = await connector.http.post('/tables/HcmCustomers/delete').send({});
      assert.deepEqual([noClause.status, noClause.body.error.code], [400, 'InvalidWhereClause']);
      const sneaky = await connector.http.post('/tables/HcmCustomers/update').send({ set: { City: 'Pwned' }, whereClause: "Name = 'Contoso' OR 1 = 1" });
      assert.equal(sneaky.status, 400);
      assert.equal(await customerCount(), before);
      assert.deepEqual(await connector.query("SELECT COUNT(*) AS n FROM dbo.HcmCustomers WHERE City = 'Pwned'"), [{ n: 0 }]);
      assert.deepEqual(await connector.query('SELECT Code FROM dbo.HcmSecret'), [{ Code: SECRET_CODE }]);
    });

    it('answers 404 ObjectNotFound (208) for a table dropped under the cached catalog, then TableNotFound', async () => {
      assert.equal((await connector.http.get('/tables/HcmLines/items')).status, 200);
      await connector.query('DROP TABLE dbo.HcmLines');
      const stale = await connector.http.get('/tables/HcmLines/items');
      assert.equal(stale.status, 404, stale.text);
      assert.deepEqual([stale.body.error.code, stale.body.error.sqlErrorNumber], ['ObjectNotFound', 208]);
      const fresh = await connector.http.get('/tables/HcmLines/items');
      assert.deepEqual([fresh.status, fresh.body.error.code], [404, 'TableNotFound']);
    });

    it('answers 413 PayloadTooLarge beyond maxRequestBytes, following a settings change without a restart', async () => {
      connector.updateSettings({ maxRequestBytes: 2048 });
      const big = [{ Name: 'x'.repeat(3000) }];
      await eventually(async () => (await connector.http.post('/tables/HcmCustomers/items').send(big)).status === 413, 10_000, 'the new limit to apply');
      const response = await connector.http.post('/tables/HcmCustomers/items').send(big);
      assert.equal(response.body.error.code, 'PayloadTooLarge');
      assert.equal(response.body.error.limit, 2048);
      connector.updateSettings({ maxRequestBytes: 10 * 1024 * 1024 });
      await eventually(async () => (await connector.http.post('/tables/HcmCustomers/items').send([{ Name: 'y'.repeat(90) }])).status === 201, 10_000, 'the limit to be lifted');
    });
  });
}
