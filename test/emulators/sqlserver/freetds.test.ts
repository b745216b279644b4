/**
 * The stand-in judged by FreeTDS (tsql and freebcp from Debian's freetds-bin, found by the test
 * tool table: HCM_FREETDS_TSQL) at TDS 7.1, 7.2, 7.3 and 7.4: every demo table read, every demo
 * procedure called (OUTPUT included), a write, SQL Server's error numbers, and freebcp loading
 * 1,000 rows. The stand-in has a certificate, so FreeTDS's default `encryption = request` gets
 * SQL Server's answer: the LOGIN7 packet inside TLS, the rest in clear text.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../src/common/logger';
import { loadOrCreateTlsIdentity } from '../../../src/common/tls-certificate';
import { DEMO_DATABASE, DEMO_LOGIN, SqlServerStandIn, demoSeedSql } from '../../../src/emulators/sqlserver';
import { configFromConnectionString, openPool } from './target';
import { startWireTap } from './wire-tap';

const TSQL = process.env.HCM_FREETDS_TSQL;
const VERSIONS = ['7.1', '7.2', '7.3', '7.4'];

let standIn: SqlServerStandIn;
let dir: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-freetds-'));
  const tls = loadOrCreateTlsIdentity({ dir, name: 'hcm-sqlserver', hosts: ['localhost', '127.0.0.1'] });
  standIn = new SqlServerStandIn({ port: 0, seedSql: demoSeedSql(), tls, logger: silentLogger() });
  await standIn.start();
  const rows = Array.from({ length: 1000 }, (_, i) => `${i + 1}\trow ${i + 1}\t${((i + 1) / 4).toFixed(2)}\t2024-01-01 10:00:00.000`);
  fs.writeFileSync(path.join(dir, 'rows.txt'), `${rows.join('\n')}\n`);
});
after(async () => {
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(command: string, args: string[], tdsVersion: string, input?: string, conf = 'none.conf'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TDSVER: tdsVersion, FREETDSCONF: path.join(dir, conf) } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', () => resolve(output));
    child.stdin.end(input ?? '');
  });
}

function tsql(tdsVersion: string, script: string, port = standIn.address().port, conf?: string): Promise<string> {
  return run(TSQL!, ['-o', 'q', '-H', '127.0.0.1', '-p', String(port), '-U', DEMO_LOGIN.user, '-P', DEMO_LOGIN.password, '-D', DEMO_DATABASE], tdsVersion, `${script}\nexit\n`, conf);
}

const SCRIPT = (table: string) => [
  'SELECT COUNT(*) AS customers FROM dbo.Customers', 'SELECT TOP 1 CustomerId, Name, Email, City, Country, CreatedAt FROM dbo.Customers ORDER BY CustomerId',
  'SELECT TOP 1 ProductId, Sku, Name, UnitPrice, InStock, Discontinued, RowVersion FROM dbo.Products ORDER BY ProductId',
  'SELECT TOP 1 OrderId, CustomerId, OrderDate, Status, Total, Notes, TrackingId FROM dbo.Orders ORDER BY OrderId',
  'SELECT TOP 1 OrderId, LineNumber, ProductId, Quantity, UnitPrice FROM dbo.OrderLines ORDER BY OrderId, LineNumber',
  'DECLARE @n int; EXEC dbo.GetCustomerOrders @CustomerId = 1, @OrderCount = @n OUTPUT; SELECT @n AS order_count_out',
  'EXEC dbo.GetOrderDetails @OrderId = 1000',
  'EXEC dbo.SearchProducts',
  'DECLARE @id int; EXEC dbo.PlaceOrder @CustomerId = 2, @ProductId = 1, @Quantity = 1, @OrderId = @id OUTPUT; SELECT CASE WHEN @id > 1000 THEN 1 ELSE 0 END AS placed',
  `CREATE TABLE dbo.${table} (Id int NOT NULL PRIMARY KEY, Name varchar(30) NULL, Amount decimal(10,2) NOT NULL, At datetime2(3) NULL)`,
  'SELECT 1/0',
  'INSERT INTO dbo.Customers (Name, Email) SELECT TOP 1 Name, Email FROM dbo.Customers',
  'SELECT * FROM dbo.NoSuchTable',
].join('\ngo\n');

describe('SQL Server stand-in judged by FreeTDS', () => {
  for (const version of VERSIONS) {
    it(`reads every demo table, calls every demo procedure, sees SQL Server's error numbers and bulk-copies 1,000 rows at TDS ${version}`, async () => {
      assert.ok(TSQL, 'HCM_FREETDS_TSQL is not set: run the tests through "npm test", whose tool table installs FreeTDS (freetds-bin)');
      const table = `hcmt_Bcp${version.replace('.', '')}`;
      const output = await tsql(version, `${SCRIPT(table)}\ngo`);
      assert.match(output, /customers\n\d+/, output);
      assert.match(output, /Bruno García\tbruno\.1@example\.com/, output);
      assert.match(output, /order_count_out\n3\n/, output);
      assert.match(output, /placed\n1\n/, output);
      for (const number of [8134, 2627, 208]) assert.match(output, new RegExp(`Msg ${number} \\(severity 1[46]`), output);
      const freebcp = path.join(path.dirname(TSQL), 'freebcp');
      const { port } = standIn.address();
      const copied = await run(freebcp, [`dbo.${table}`, 'in', path.join(dir, 'rows.txt'), '-S', `127.0.0.1:${port}`, '-U', DEMO_LOGIN.user, '-P', DEMO_LOGIN.password, '-D', DEMO_DATABASE, '-c'], version);
      assert.match(copied, /1000 rows copied/, copied);
      const pool = await openPool(configFromConnectionString(standIn.connectionString()));
      try {
        const result = await pool.request().query(`SELECT COUNT(*) AS n, SUM(Amount) AS total FROM dbo.${table}`);
        assert.deepEqual(result.recordset, [{ n: 1000, total: 125125 }]);
        assert.equal((await pool.request().query('UPDATE dbo.Products SET InStock = InStock WHERE ProductId = 1')).rowsAffected[0], 1);
      } finally {
        await pool.close();
      }
    });
  }

  // FreeTDS's `encryption = request` sends PRELOGIN ENCRYPT_OFF: SQL Server then encrypts the LOGIN7
  // packet alone (MS-TDS 3.3.5.1); `encryption = off` sends ENCRYPT_NOT_SUP and nothing is encrypted.
  for (const [setting, loginEncrypted] of [['request', true], ['off', false]] as const) {
    it(`encryption = ${setting}: the login ${loginEncrypted ? 'travels inside TLS and the rest in clear text' : 'and the rest travel in clear text'}`, async () => {
      assert.ok(TSQL, 'HCM_FREETDS_TSQL is not set: run the tests through "npm test", whose tool table installs FreeTDS (freetds-bin)');
      fs.writeFileSync(path.join(dir, `${setting}.conf`), `[global]\n\tencryption = ${setting}\n`);
      const tap = await startWireTap(standIn.address().port);
      try {
        const output = await tsql('7.4', "SELECT encrypt_option AS enc FROM sys.dm_exec_connections WHERE session_id = @@SPID\ngo", tap.port, `${setting}.conf`);
        assert.match(output, /enc\nFALSE\n/, output);
        assert.equal(tap.sawInClear(DEMO_LOGIN.user), !loginEncrypted, 'the user name of LOGIN7 in clear text');
        assert.equal(tap.sawInClear('sys.dm_exec_connections'), true, 'the query text in clear text');
      } finally {
        await tap.close();
      }
    });
  }

  for (const version of ['7.1', '7.4']) {
    it(`reads a sql_variant column holding int, nvarchar, decimal, datetime and NULL at TDS ${version}`, async () => {
      assert.ok(TSQL, 'HCM_FREETDS_TSQL is not set: run the tests through "npm test", whose tool table installs FreeTDS (freetds-bin)');
      // The string comes last: FreeTDS 1.3 misreads a non-string variant that follows a string one in
      // the same column (it keeps the string's character conversion; seen with datetime).
      const script = [
        'CREATE TABLE #v (I int NOT NULL, V sql_variant NULL)',
        "INSERT #v VALUES (1, 42); INSERT #v VALUES (2, CAST(2.5 AS decimal(5,2)))",
        "INSERT #v VALUES (3, CAST('2024-01-02 03:04:05' AS datetime)); INSERT #v VALUES (4, N'abc'); INSERT #v VALUES (5, NULL)",
        'SELECT I, V FROM #v ORDER BY I',
      ].join('\n');
      const output = await tsql(version, `${script}\ngo`);
      assert.match(output, /I\tV\n1\t42\n2\t2\.50\n3\tJan {2}2 2024 03:04AM\n4\tabc\n5\tNULL\n/, output);
    });
  }
});
