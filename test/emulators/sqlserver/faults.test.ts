/**
 * What only the stand-in can show: back-pressure (a paused reader stops the query), fault
 * controls (dropped connections, delayed responses), and stopping and starting on the same port
 * with the data kept.
 */
import assert from 'node:assert/strict';
import { describe, it, TestContext } from 'node:test';
import sql from 'mssql';
import { silentLogger } from '../../../src/common/logger';
import { anyFreeLoopbackPort } from '../../../src/config/names';
import { SqlServerStandIn } from '../../../src/emulators/sqlserver';
import { configFromConnectionString, openPool, waitFor } from './target';

const DIGITS = 'CREATE TABLE dbo.hcmt_Digits (D int NOT NULL PRIMARY KEY); INSERT INTO dbo.hcmt_Digits (D) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);';
const WIDE_ROWS = `SELECT e.D * 10000 + d.D * 1000 + c.D * 100 + b.D * 10 + a.D AS N, REPLICATE(N'x', 200) AS Pad
FROM dbo.hcmt_Digits e CROSS JOIN dbo.hcmt_Digits d CROSS JOIN dbo.hcmt_Digits c CROSS JOIN dbo.hcmt_Digits b CROSS JOIN dbo.hcmt_Digits a`;

async function startStandIn(t: TestContext, port = 0): Promise<SqlServerStandIn> {
  const standIn = new SqlServerStandIn({ port, logger: silentLogger() });
  await standIn.start();
  t.after(() => (standIn.status === 'Running' ? standIn.close() : undefined));
  return standIn;
}

async function pool(t: TestContext, standIn: SqlServerStandIn, extra: Partial<sql.config> = {}): Promise<sql.ConnectionPool> {
  const connected = await openPool({ ...configFromConnectionString(standIn.connectionString()), ...extra });
  t.after(() => connected.close());
  return connected;
}

describe('SQL Server stand-in: back-pressure, faults and restarts', () => {
  it('stops producing rows while the client is paused, and finishes all 100,000 after resume', async (t) => {
    const standIn = await startStandIn(t);
    const client = await pool(t, standIn, { pool: { max: 1, min: 0 } });
    await client.request().batch(DIGITS);
    const before = standIn.diagnostics().rowsSent;
    const request = client.request();
    request.stream = true;
    let received = 0;
    const finished = new Promise<void>((resolve, reject) => {
      request.on('done', () => resolve());
      request.on('error', reject);
    });
    request.on('row', () => {
      received++;
      if (received === 1) request.pause();
    });
    void request.query(WIDE_ROWS);
    // Wait until the server's count stops moving: it is blocked on the full socket.
    let last = -1;
    await waitFor(async () => {
      const now = standIn.diagnostics().rowsSent - before;
      const stable = now > 0 && now === last;
      last = now;
      await new Promise((resolve) => setTimeout(resolve, 150));
      return stable;
    }, 'the stand-in stops sending rows to a paused client');
    assert.ok(last < 100_000, `the server stopped at ${last} rows instead of producing all 100,000 into memory`);
    assert.equal(received, 1);
    request.resume();
    await finished;
    assert.equal(received, 100_000);
    // mssql's connection check on acquire (SELECT 1) may add one row of its own.
    assert.ok(standIn.diagnostics().rowsSent - before >= 100_000);
  });

  it('gives mssql a connection error when every connection is dropped mid-query', async (t) => {
    const standIn = await startStandIn(t);
    const client = await pool(t, standIn);
    const running = client.request().query("WAITFOR DELAY '00:00:20'");
    await waitFor(() => standIn.diagnostics().connections > 0, 'the query has a connection');
    await new Promise((resolve) => setTimeout(resolve, 100));
    standIn.faults.dropAllConnections();
    await assert.rejects(running, (error: sql.RequestError) => {
      assert.equal(error.code, 'ECONNRESET');
      assert.match(error.message, /socket hang up|Connection lost/);
      return true;
    });
    assert.deepEqual((await client.request().query('SELECT 1 AS Again')).recordset, [{ Again: 1 }], 'the pool opens a new connection');
  });

  it('delays responses on request, so a client timeout (ETIMEOUT) can be provoked', async (t) => {
    const standIn = await startStandIn(t);
    // validateConnection 'socket': mssql's SELECT 1 on acquire would itself be delayed.
    const client = await pool(t, standIn, { requestTimeout: 300, validateConnection: 'socket' } as Partial<sql.config>);
    standIn.faults.setResponseDelay(2000);
    await assert.rejects(client.request().query('SELECT 1 AS Slow'), (error: sql.RequestError) => error.code === 'ETIMEOUT');
    standIn.faults.setResponseDelay(0);
    assert.deepEqual((await client.request().query('SELECT 2 AS Fast')).recordset, [{ Fast: 2 }]);
  });

  it('restarts on the same port with its data, and a new pool works after the restart', async (t) => {
    // A port no port-0 bind of another test can take while the stand-in is down.
    const standIn = await startStandIn(t, await anyFreeLoopbackPort());
    const first = await openPool(configFromConnectionString(standIn.connectionString()));
    await first.request().batch("CREATE TABLE dbo.hcmt_Kept (Id int IDENTITY(1,1) PRIMARY KEY, Note nvarchar(20)); INSERT INTO dbo.hcmt_Kept (Note) VALUES (N'before');");
    await first.close();
    const { port } = standIn.address();
    await standIn.close();
    await assert.rejects(openPool({ ...configFromConnectionString(standIn.connectionString()), connectionTimeout: 2000 }), (error: sql.ConnectionError) => error.code === 'ESOCKET');
    await standIn.start();
    assert.equal(standIn.address().port, port);
    const second = await pool(t, standIn);
    await second.request().query("INSERT INTO dbo.hcmt_Kept (Note) VALUES (N'after')");
    const rows = await second.request().query('SELECT Id, Note FROM dbo.hcmt_Kept ORDER BY Id');
    assert.deepEqual(rows.recordset, [{ Id: 1, Note: 'before' }, { Id: 2, Note: 'after' }]);
  });

  it('without a certificate, refuses a client that requires encryption with a message saying to connect with encrypt: false', async (t) => {
    const standIn = await startStandIn(t);
    const config = { ...configFromConnectionString(standIn.connectionString()), options: { encrypt: true, trustServerCertificate: true } };
    await assert.rejects(openPool(config), (error: sql.ConnectionError) => {
      assert.equal(error.code, 'ELOGIN');
      assert.match(error.message, /was started without \(no certificate\)\. Connect with 'encrypt: false'/);
      return true;
    });
  });

  it('keeps data in a --data file across separate stand-ins, and runs the seed only into an empty database', async (t) => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'hcmt-data-'));
    t.after(() => fs.rmSync(directory, { recursive: true, force: true }));
    const dataFile = path.join(directory, 'demo.sqlite');
    const seedSql = "CREATE TABLE dbo.hcmt_Seeded (Id int PRIMARY KEY);\nGO\nINSERT INTO dbo.hcmt_Seeded (Id) VALUES (1);";
    for (const expected of [1, 2]) {
      const standIn = new SqlServerStandIn({ port: 0, dataFile, seedSql, logger: silentLogger() });
      await standIn.start();
      const client = await openPool(configFromConnectionString(standIn.connectionString()));
      await client.request().query(`INSERT INTO dbo.hcmt_Seeded (Id) VALUES (${expected + 1})`);
      const count = await client.request().query('SELECT COUNT(*) AS Rows FROM dbo.hcmt_Seeded');
      assert.equal(count.recordset[0].Rows, expected + 1);
      await client.close();
      await standIn.close();
    }
  });
});
