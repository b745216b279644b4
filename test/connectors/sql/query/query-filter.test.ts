/** The /query allow-list: statement kinds, tables, procedures, and the words that never pass. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HcmError } from '../../../../src/common/errors';
import { QueryAllowList, checkQuery } from '../../../../src/connectors/sql/query/query-filter';
import { scanSql } from '../../../../src/connectors/sql/query/sql-scan';
import { getOrders, orderLines, orders, secret } from '../fixtures';

const otherOrders = { ...orders, schema: 'archive' };
const allow: QueryAllowList = {
  tables: [orders, orderLines],
  procedures: [getOrders],
  allTables: [orders, orderLines, secret, otherOrders],
  allProcedures: [getOrders, { schema: 'dbo', name: 'DropEverything', parameters: [] }],
};

function refused(query: string): string {
  try {
    checkQuery(query, allow);
  } catch (error) {
    assert.ok(error instanceof HcmError, String(error));
    assert.equal(error.code, 'QueryNotAllowed', `${query}: ${error.message}`);
    return error.message;
  }
  assert.fail(`allowed: ${query}`);
}

describe('/query allow-list', () => {
  it('allows one SELECT, INSERT, UPDATE or DELETE over allowed tables, and EXEC of an allowed procedure', () => {
    assert.equal(checkQuery('SELECT TOP 10 o.Id, l.Sku FROM dbo.Orders o JOIN sales.OrderLines l ON l.OrderId = o.Id WHERE o.Id > @min ORDER BY o.Id', allow), 'select');
    assert.equal(checkQuery("INSERT INTO dbo.Orders (CustomerName) VALUES (@name)", allow), 'insert');
    assert.equal(checkQuery('UPDATE dbo.Orders SET Total = @t WHERE Id = @id;', allow), 'update');
    assert.equal(checkQuery('DELETE FROM sales.OrderLines WHERE OrderId = 1', allow), 'delete');
    assert.equal(checkQuery('EXEC dbo.GetOrders @CustomerName = @c', allow), 'exec');
    assert.equal(checkQuery("SELECT COUNT(*) AS n, UPPER(CustomerName) AS c FROM dbo.Orders WHERE CustomerName = 'DROP TABLE x' GROUP BY CustomerName", allow), 'select');
  });

  it('refuses tables outside the allow-list, however they are reached', () => {
    refused('SELECT * FROM dbo.Secret');
    refused('SELECT * FROM dbo.Orders WHERE Id IN (SELECT Id FROM dbo.Secret)');
    refused('SELECT (SELECT TOP 1 Id FROM Secret) AS x FROM dbo.Orders');
    refused('INSERT INTO dbo.Orders (Id) SELECT Id FROM dbo.Secret');
    refused('SELECT * FROM otherdb.dbo.Orders');
    refused('SELECT * FROM srv.otherdb.dbo.Orders');
    refused('SELECT * FROM sys.objects');
    refused('SELECT * FROM INFORMATION_SCHEMA.TABLES');
    refused('SELECT * FROM #temp');
    // "Orders" alone could resolve to archive.Orders through the login's default schema.
    assert.match(refused('SELECT * FROM Orders'), /Orders/);
  });

  it('refuses row-set and user-defined functions, SELECT INTO and dynamic SQL', () => {
    refused("SELECT * FROM OPENROWSET('SQLNCLI', 'Server=x;', 'SELECT 1')");
    refused("SELECT * FROM OPENQUERY(srv, 'SELECT 1')");
    refused("SELECT * FROM OPENDATASOURCE('SQLNCLI', 'Data Source=x').db.dbo.t");
    refused('SELECT * FROM dbo.fn_rows(1)');
    refused('SELECT dbo.fn_secret(Id) AS s FROM dbo.Orders');
    refused('SELECT * INTO dbo.Copy FROM dbo.Orders');
    refused("EXEC('DROP TABLE dbo.Orders')");
    refused("EXEC sp_executesql N'SELECT * FROM dbo.Secret'");
    refused('EXEC [sp_configure]');
    refused("EXEC xp_cmdshell 'dir'");
    refused('EXEC dbo.DropEverything');
    refused('EXEC DropEverything');
  });

  it('refuses DDL, permissions, transactions, more than one statement, comments and double quotes', () => {
    for (const query of [
      'DROP TABLE dbo.Orders', 'TRUNCATE TABLE dbo.Orders', 'ALTER TABLE dbo.Orders ADD x int', 'CREATE TABLE t (a int)',
      'GRANT SELECT ON dbo.Secret TO public', 'DENY SELECT ON dbo.Orders TO public', 'REVOKE SELECT ON dbo.Orders FROM public',
      'BEGIN TRAN', 'COMMIT', 'SET IDENTITY_INSERT dbo.Orders ON', 'DECLARE @x int', 'USE master', "WAITFOR DELAY '00:00:10'",
      'SHUTDOWN', 'DBCC CHECKDB', 'SELECT * FROM dbo.Orders; DROP TABLE dbo.Orders', 'SELECT * FROM dbo.Orders; SELECT * FROM dbo.Orders',
      'SELECT * FROM dbo.Orders -- ; DROP TABLE x', 'SELECT * FROM dbo.Orders /* */', 'SELECT "Id" FROM dbo.Orders',
      "SELECT * FROM dbo.Orders WHERE CustomerName = 'unterminated", 'MERGE dbo.Orders AS t USING dbo.Secret AS s ON 1=1 WHEN MATCHED THEN DELETE;',
      'SELECT * FROM dbo.Orders WITH (NOLOCK) OPTION (MAXDOP 1) FOR XML AUTO', 'not sql at all',
    ]) {
      refused(query);
    }
  });

  it('refuses an empty or enormous query as a bad body or too long', () => {
    assert.throws(() => checkQuery('', allow), (e: unknown) => e instanceof HcmError && e.code === 'BadRequest');
    assert.throws(() => checkQuery(42, allow), (e: unknown) => e instanceof HcmError && e.code === 'BadRequest');
    refused(`SELECT * FROM dbo.Orders WHERE CustomerName = '${'x'.repeat(70_000)}'`);
  });
});

describe('SQL scanner', () => {
  it('sees words only outside literals and brackets, and reports comments and quotes', () => {
    const scan = scanSql("SELECT [a]]b], 'it''s -- not a comment' FROM t -- real");
    assert.deepEqual(scan.words, ['SELECT', 'FROM', 't', 'real']);
    assert.deepEqual(scan.bracketed, ['a]b']);
    assert.equal(scan.hasComment, true);
    assert.equal(scanSql("SELECT 'a;b'").semicolons, 0);
    assert.equal(scanSql("SELECT 'open").unterminated, true);
    assert.equal(scanSql('SELECT "x"').hasDoubleQuote, true);
  });
});
