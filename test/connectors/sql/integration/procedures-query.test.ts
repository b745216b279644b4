/**
 * Stored procedures (every result set, output parameters, return value) and the allow-listed
 * /query, through real HTTP against the target; statements outside the allow-list never run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunningConnector, eventually, withConnector } from './connector';
import { SECRET_CODE } from './seed';
import { TARGETS } from './targets';

for (const definition of TARGETS) {
  describe(`SQL connector procedures and /query (${definition.name})`, { skip: definition.unavailable }, () => {
    let connector: RunningConnector;

    withConnector(definition, (_target, c) => {
      connector = c;
    });

    it('returns both result sets, the output parameter and the return value of a procedure', async () => {
      const response = await connector.http.post('/procedures/HcmCustomerOrders').send({ CustomerId: 1 });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.resultSets[0], [{ Id: 1, Name: 'Contoso', City: 'Seattle' }]);
      assert.deepEqual(response.body.resultSets[1].map((r: { Id: number }) => r.Id), [1, 2]);
      assert.deepEqual(response.body.outputParameters, { OrderCount: 2 });
      assert.equal(response.body.returnValue, 7);
      const none = await connector.http.post('/procedures/dbo.HcmCustomerOrders').send({ '@CustomerId': 3 });
      assert.deepEqual([none.body.resultSets[1], none.body.outputParameters], [[], { OrderCount: 0 }]);
    });

    it('refuses procedures outside the list, unknown parameters and bad values', async () => {
      for (const name of ['sp_who', 'xp_cmdshell', 'HcmNope', 'master.dbo.sp_who']) {
        const response = await connector.http.post(`/procedures/${encodeURIComponent(name)}`).send({});
        assert.deepEqual([response.status, response.body.error.code], [404, 'ProcedureNotFound'], name);
      }
      const unknown = await connector.http.post('/procedures/HcmCustomerOrders').send({ CustomerId: 1, Extra: 2 });
      assert.equal(unknown.status, 400);
      const badValue = await connector.http.post('/procedures/HcmCustomerOrders').send({ CustomerId: 'one' });
      assert.equal(badValue.status, 400, badValue.text);
    });

    it('runs allowed /query statements with bound parameters', async () => {
      const select = await connector.http.post('/query').send({ query: 'SELECT Name FROM dbo.HcmCustomers WHERE City = @city ORDER BY Name', parameters: { city: 'Berlin' } });
      assert.equal(select.status, 200, select.text);
      assert.deepEqual(select.body.resultSets, [[{ Name: 'Fabrikam' }]]);
      const insert = await connector.http.post('/query').send({ query: 'INSERT INTO dbo.HcmQueue (Payload) VALUES (@p)', parameters: { p: { type: 'nvarchar(200)', value: 'from /query' } } });
      assert.deepEqual(insert.body.rowsAffected, [1]);
      const exec = await connector.http.post('/query').send({ query: 'EXEC dbo.HcmCustomerOrders @CustomerId = @id, @OrderCount = NULL', parameters: { id: 2 } });
      assert.equal(exec.status, 200, exec.text);
      assert.equal(exec.body.resultSets[0][0].Name, 'Fabrikam');
      const injected = await connector.http.post('/query').send({ query: 'SELECT Name FROM dbo.HcmCustomers WHERE Name = @name', parameters: { name: "x'; DROP TABLE dbo.HcmSecret; --" } });
      assert.deepEqual(injected.body.resultSets, [[]]);
    });

    it('refuses statements outside the allow-list, and none of them ran', async () => {
      for (const query of [
        'SELECT * FROM dbo.HcmSecret', 'DROP TABLE dbo.HcmNumbers', 'DELETE FROM dbo.HcmSecret', 'TRUNCATE TABLE dbo.HcmNumbers',
        'SELECT * FROM dbo.HcmNumbers; DROP TABLE dbo.HcmSecret', "EXEC xp_cmdshell 'dir'", "EXEC('DROP TABLE dbo.HcmSecret')",
        "SELECT * FROM OPENROWSET('SQLNCLI', 'Server=(local);Trusted_Connection=yes;', 'SELECT 1')", 'GRANT SELECT ON dbo.HcmSecret TO public',
        'SELECT * INTO dbo.HcmCopy FROM dbo.HcmNumbers', 'UPDATE dbo.HcmNumbers SET Label = (SELECT TOP 1 Code FROM dbo.HcmSecret)',
        'SELECT * FROM dbo.HcmNumbers -- comment', 'CREATE TABLE dbo.HcmEvil (Id int)', 'SELECT name FROM sys.tables',
      ]) {
        const response = await connector.http.post('/query').send({ query });
        assert.deepEqual([response.status, response.body.error?.code], [400, 'QueryNotAllowed'], `${query}: ${response.text}`);
      }
      assert.deepEqual(await connector.query('SELECT Code FROM dbo.HcmSecret'), [{ Code: SECRET_CODE }]);
      assert.deepEqual(await connector.query('SELECT COUNT(*) AS n FROM dbo.HcmNumbers WHERE Label LIKE \'n%\''), [{ n: 10_000 }]);
      const tables = await connector.query<{ TABLE_NAME: string }>("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME IN ('HcmCopy', 'HcmEvil')");
      assert.deepEqual(tables, []);
    });

    it('follows settings changes: /query off → 403 QueryDisabled, a table removed → 404', async () => {
      connector.updateSettings({ allowQuery: false, tables: ['HcmCustomers', 'HcmOrders', 'HcmNumbers', 'HcmQueue'] });
      await eventually(async () => (await connector.http.post('/query').send({ query: 'SELECT 1 AS x' })).status === 403, 10_000, 'allowQuery=false to apply');
      const disabled = await connector.http.post('/query').send({ query: 'SELECT N FROM dbo.HcmNumbers' });
      assert.equal(disabled.body.error.code, 'QueryDisabled');
      await eventually(async () => (await connector.http.get('/tables/HcmLines/items')).status === 404, 10_000, 'HcmLines to leave the allow-list');
      connector.updateSettings({ allowQuery: true, tables: ['HcmCustomers', 'HcmOrders', 'HcmLines', 'HcmNumbers', 'HcmQueue'] });
      await eventually(async () => (await connector.http.get('/tables/HcmLines/items')).status === 200, 10_000, 'HcmLines to come back');
    });
  });
}
