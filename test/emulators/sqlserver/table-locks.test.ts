/**
 * The stand-in's concurrency as SQL Server users expect it, through mssql/tedious over TCP: an
 * open transaction blocks only the writers of the tables it wrote; other sessions read the
 * committed rows (READ_COMMITTED_SNAPSHOT ON), also through a view; a blocked writer gets 1222
 * after its LOCK_TIMEOUT, is freed at once by a command timeout (ATTENTION), and waits for a
 * parent row another transaction has not committed; a deadlock ends one transaction with 1205
 * (the lowest DEADLOCK_PRIORITY's);
 * ROLLBACK (also to a savepoint) restores the rows exactly, identity values excepted; a kill in
 * the middle of a transaction loses nothing committed; sys.dm_tran_locks shows who holds and who
 * waits; names past 128 characters are refused (103). No sleeps: waits are observed through
 * diagnostics().lockWaiters, started before what releases them.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, describe, it } from 'node:test';
import sql from 'mssql';
import { silentLogger } from '../../../src/common/logger';
import { SqlServerStandIn } from '../../../src/emulators/sqlserver';
import { configFromConnectionString, openPool, waitFor } from './target';
import { recordsets } from './suites/context';

const SCHEMA = `CREATE TABLE dbo.lk_One (Id int IDENTITY(1,1) PRIMARY KEY, Name nvarchar(20) NOT NULL, Qty int NOT NULL);
CREATE TABLE dbo.lk_Two (Id int PRIMARY KEY, Qty int NOT NULL);
CREATE TABLE dbo.lk_Parent (Id int PRIMARY KEY);
CREATE TABLE dbo.lk_Child (Id int PRIMARY KEY, ParentId int NOT NULL CONSTRAINT FK_lk_Child_Parent REFERENCES dbo.lk_Parent (Id));
INSERT INTO dbo.lk_One (Name, Qty) VALUES (N'a', 1), (N'b', 2), (N'c', 3);
INSERT INTO dbo.lk_Two VALUES (1, 10), (2, 20);
INSERT INTO dbo.lk_Parent VALUES (1);`;

describe('table locks and before-images of the SQL Server stand-in', () => {
  let standIn: SqlServerStandIn;
  let config: sql.config;
  /** Sessions of one connection each, so each test knows which session runs what. */
  const sessions: sql.ConnectionPool[] = [];

  async function session(overrides: Partial<sql.config> = {}): Promise<sql.ConnectionPool> {
    const pool = await openPool({ ...structuredClone(config), ...overrides, pool: { max: 1, min: 0 } });
    sessions.push(pool);
    return pool;
  }

  async function rows(pool: sql.ConnectionPool, text: string): Promise<Array<Record<string, unknown>>> {
    return (await pool.request().batch(text)).recordset;
  }

  before(async () => {
    standIn = new SqlServerStandIn({ port: 0, logger: silentLogger() });
    await standIn.start();
    config = configFromConnectionString(standIn.connectionString());
    const setup = await session();
    await setup.request().batch(SCHEMA);
    await setup.request().batch('CREATE VIEW dbo.lk_View AS SELECT Id, Qty * 10 AS Tenfold FROM dbo.lk_One');
  });

  after(async () => {
    for (const pool of sessions) await pool.close();
    await standIn.close();
  });

  it("does not block other tables' writers, #temp work or SAVE TRANSACTION, and shows other sessions only committed rows", async () => {
    const [a, b] = [await session(), await session()];
    await a.request().batch("BEGIN TRANSACTION; UPDATE dbo.lk_One SET Qty = 100 WHERE Name = N'a'; INSERT INTO dbo.lk_One (Name, Qty) VALUES (N'new', 4);");
    // LOCK_TIMEOUT 0: any wait for A's locks would fail at once with 1222 instead of hanging.
    const done = await b.request().batch(`SET LOCK_TIMEOUT 0;
INSERT INTO dbo.lk_Two VALUES (3, 30); UPDATE dbo.lk_Two SET Qty = Qty + 1 WHERE Id = 1; DELETE FROM dbo.lk_Two WHERE Id = 3;
CREATE TABLE #lk_work (Id int PRIMARY KEY); INSERT INTO #lk_work VALUES (1);
BEGIN TRANSACTION; SAVE TRANSACTION s1; UPDATE #lk_work SET Id = 2; UPDATE dbo.lk_Two SET Qty = 0; ROLLBACK TRANSACTION s1; COMMIT;
SELECT (SELECT Id FROM #lk_work) AS TempId, (SELECT SUM(Qty) FROM dbo.lk_Two) AS TwoTotal;`);
    assert.deepEqual(done.recordset, [{ TempId: 1, TwoTotal: 31 }]);
    const committed = [{ Id: 1, Qty: 1 }, { Id: 2, Qty: 2 }, { Id: 3, Qty: 3 }];
    assert.deepEqual(await rows(b, 'SELECT Id, Qty FROM dbo.lk_One ORDER BY Id'), committed);
    assert.deepEqual(await rows(b, 'SELECT Id, Tenfold FROM dbo.lk_View ORDER BY Id'), committed.map((r) => ({ Id: r.Id, Tenfold: r.Qty * 10 })));
    assert.deepEqual(await rows(b, "SELECT o.Name, t.Qty FROM dbo.lk_One o JOIN dbo.lk_Two t ON t.Id = o.Id WHERE o.Name = N'a'"), [{ Name: 'a', Qty: 11 }]);
    assert.deepEqual(await rows(a, 'SELECT Id, Qty FROM dbo.lk_One ORDER BY Id'), [{ Id: 1, Qty: 100 }, { Id: 2, Qty: 2 }, { Id: 3, Qty: 3 }, { Id: 4, Qty: 4 }]);
    assert.deepEqual(await rows(a, 'SELECT Tenfold FROM dbo.lk_View WHERE Id = 1'), [{ Tenfold: 1000 }]);
    await a.request().batch('COMMIT');
    assert.deepEqual(await rows(b, 'SELECT Qty FROM dbo.lk_One WHERE Id = 4'), [{ Qty: 4 }]);
    await b.request().batch('DELETE FROM dbo.lk_One WHERE Id = 4; UPDATE dbo.lk_One SET Qty = 1 WHERE Id = 1; UPDATE dbo.lk_Two SET Qty = 10 WHERE Id = 1;');
  });

  it('makes a writer of the same table wait: 1222 after LOCK_TIMEOUT, freed at once by a command timeout, then it goes on', async () => {
    const a = await session();
    const b = await session();
    const impatient = await session({ requestTimeout: 300 });
    await a.request().batch('BEGIN TRANSACTION; UPDATE dbo.lk_Two SET Qty = Qty + 1 WHERE Id = 1;');
    await assert.rejects(b.request().batch('SET LOCK_TIMEOUT 50; UPDATE dbo.lk_Two SET Qty = 0 WHERE Id = 2; CREATE TABLE #lk_went_on (Id int);'), (error: sql.RequestError) => {
      assert.equal(error.number, 1222);
      return true;
    });
    // 1222 cancels its statement only: the batch went on.
    assert.deepEqual(await rows(b, "SELECT CASE WHEN OBJECT_ID('tempdb..#lk_went_on') IS NULL THEN 0 ELSE 1 END AS WentOn"), [{ WentOn: 1 }]);
    await assert.rejects(impatient.request().batch('DELETE FROM dbo.lk_Two'), (error: sql.RequestError) => error.code === 'ETIMEOUT');
    await waitFor(() => standIn.diagnostics().lockWaiters === 0, 'the cancelled wait left the queue');
    assert.deepEqual(await rows(impatient, 'SELECT COUNT(*) AS Alive FROM dbo.lk_Two'), [{ Alive: 2 }]);
    const queued = b.request().batch('SET LOCK_TIMEOUT -1; UPDATE dbo.lk_Two SET Qty = Qty * 2 WHERE Id = 1; SELECT Qty FROM dbo.lk_Two WHERE Id = 1;');
    await waitFor(() => standIn.diagnostics().lockWaiters === 1, 'B queues behind A');
    const [spidA, spidB] = [(await rows(a, 'SELECT @@SPID AS Spid'))[0].Spid, (await rows(impatient, 'SELECT @@SPID AS Spid'))[0].Spid];
    const locks = await rows(impatient, `SELECT request_mode AS Mode, request_status AS Status, request_session_id AS Spid FROM sys.dm_tran_locks
WHERE resource_type = 'OBJECT' AND resource_associated_entity_id = OBJECT_ID('dbo.lk_Two') ORDER BY request_status`);
    assert.equal(locks.length, 2);
    assert.deepEqual(locks[0], { Mode: 'X', Status: 'GRANT', Spid: spidA });
    assert.deepEqual({ ...locks[1], Spid: locks[1].Spid === spidB ? 'impatient' : 'B' }, { Mode: 'X', Status: 'WAIT', Spid: 'B' });
    await a.request().batch('COMMIT');
    assert.deepEqual((await queued).recordset, [{ Qty: 22 }]);
    await b.request().batch('UPDATE dbo.lk_Two SET Qty = 10 WHERE Id = 1');
  });

  it('restores the rows exactly on ROLLBACK and to a savepoint, but not identity values', async () => {
    const a = await session();
    const before = await rows(a, 'SELECT Id, Name, Qty FROM dbo.lk_One');
    const result = await a.request().batch(`BEGIN TRANSACTION;
INSERT INTO dbo.lk_One (Name, Qty) VALUES (N'x', 9);
SAVE TRANSACTION s1;
DELETE FROM dbo.lk_One WHERE Name = N'b';
UPDATE dbo.lk_One SET Qty = -1;
SAVE TRANSACTION s2;
DELETE FROM dbo.lk_One;
ROLLBACK TRANSACTION s1;
SELECT Name, Qty FROM dbo.lk_One ORDER BY Id;
UPDATE dbo.lk_One SET Name = N'after' WHERE Name = N'x';
ROLLBACK TRANSACTION;
INSERT INTO dbo.lk_One (Name, Qty) VALUES (N'd', 5);
SELECT SCOPE_IDENTITY() AS Next;`);
    assert.deepEqual(recordsets(result)[0], [{ Name: 'a', Qty: 1 }, { Name: 'b', Qty: 2 }, { Name: 'c', Qty: 3 }, { Name: 'x', Qty: 9 }]);
    // The rolled-back row took identity 5 (4 went earlier): SQL Server does not give it back.
    assert.deepEqual(recordsets(result)[1], [{ Next: 6 }]);
    assert.deepEqual(await rows(a, "SELECT Id, Name, Qty FROM dbo.lk_One WHERE Name <> N'd'"), before);
    await a.request().batch("DELETE FROM dbo.lk_One WHERE Name = N'd'");
  });

  it('makes a child insert wait for a parent row another transaction has not committed, and fails it with 547 if that rolls back', async () => {
    const [a, b] = [await session(), await session()];
    await a.request().batch('BEGIN TRANSACTION; INSERT INTO dbo.lk_Parent VALUES (2);');
    const child = b.request().batch('INSERT INTO dbo.lk_Child VALUES (20, 2)');
    await waitFor(() => standIn.diagnostics().lockWaiters === 1, 'the child insert waits for the parent table');
    await a.request().batch('COMMIT');
    await child;
    await a.request().batch('BEGIN TRANSACTION; INSERT INTO dbo.lk_Parent VALUES (3);');
    const orphan = b.request().batch('INSERT INTO dbo.lk_Child VALUES (30, 3)');
    await waitFor(() => standIn.diagnostics().lockWaiters === 1, 'the second child insert waits');
    await a.request().batch('ROLLBACK');
    await assert.rejects(orphan, (error: sql.RequestError) => error.number === 547);
    assert.deepEqual(await rows(b, 'SELECT Id, ParentId FROM dbo.lk_Child'), [{ Id: 20, ParentId: 2 }]);
  });

  it('ends a deadlock with 1205 for one transaction, rolled back, while the other goes on', async () => {
    const [a, b] = [await session(), await session()];
    await a.request().batch('BEGIN TRANSACTION; UPDATE dbo.lk_One SET Qty = Qty + 1 WHERE Id = 1;');
    await b.request().batch('BEGIN TRANSACTION; UPDATE dbo.lk_Two SET Qty = Qty + 1 WHERE Id = 1;');
    const first = a.request().batch('UPDATE dbo.lk_Two SET Qty = Qty + 100 WHERE Id = 2;');
    await waitFor(() => standIn.diagnostics().lockWaiters === 1, 'A waits for B');
    await assert.rejects(b.request().batch('UPDATE dbo.lk_One SET Qty = 0 WHERE Id = 2;'), (error: sql.RequestError) => {
      assert.equal(error.number, 1205);
      assert.equal(error.class, 13);
      assert.match(error.message, /^Transaction \(Process ID \d+\) was deadlocked on lock resources with another process and has been chosen as the deadlock victim\. Rerun the transaction\.$/);
      return true;
    });
    await first;
    assert.deepEqual(await rows(b, 'SELECT @@TRANCOUNT AS Depth, (SELECT Qty FROM dbo.lk_Two WHERE Id = 1) AS Qty'), [{ Depth: 0, Qty: 10 }]);
    await a.request().batch('COMMIT');
    assert.deepEqual(await rows(b, 'SELECT (SELECT Qty FROM dbo.lk_One WHERE Id = 1) AS One, (SELECT Qty FROM dbo.lk_Two WHERE Id = 2) AS Two'), [{ One: 2, Two: 120 }]);
    await b.request().batch('UPDATE dbo.lk_One SET Qty = 1 WHERE Id = 1; UPDATE dbo.lk_Two SET Qty = 20 WHERE Id = 2;');
  });

  it('chooses the session with SET DEADLOCK_PRIORITY LOW as the victim, though it was waiting first', async () => {
    const [a, b] = [await session(), await session()];
    await a.request().batch('SET DEADLOCK_PRIORITY LOW; BEGIN TRANSACTION; UPDATE dbo.lk_One SET Qty = Qty + 1 WHERE Id = 1;');
    assert.deepEqual(await rows(a, 'SELECT deadlock_priority AS Priority FROM sys.dm_exec_sessions WHERE session_id = @@SPID'), [{ Priority: -5 }]);
    await b.request().batch('BEGIN TRANSACTION; UPDATE dbo.lk_Two SET Qty = Qty + 1 WHERE Id = 1;');
    const victim = a.request().batch('UPDATE dbo.lk_Two SET Qty = 0 WHERE Id = 2;');
    const rejected = assert.rejects(victim, (error: sql.RequestError) => error.number === 1205);
    await waitFor(() => standIn.diagnostics().lockWaiters === 1, 'A waits for B');
    await b.request().batch('UPDATE dbo.lk_One SET Qty = Qty + 10 WHERE Id = 1; COMMIT;');
    await rejected;
    assert.deepEqual(await rows(a, 'SET DEADLOCK_PRIORITY NORMAL; SELECT @@TRANCOUNT AS Depth, (SELECT Qty FROM dbo.lk_One WHERE Id = 1) AS One, (SELECT Qty FROM dbo.lk_Two WHERE Id = 2) AS Two'),
      [{ Depth: 0, One: 11, Two: 20 }]);
    await b.request().batch('UPDATE dbo.lk_One SET Qty = 1 WHERE Id = 1; UPDATE dbo.lk_Two SET Qty = 10 WHERE Id = 1;');
  });

  it('refuses object names longer than 128 characters with 103, as SQL Server does', async () => {
    const long = 'x'.repeat(129);
    await assert.rejects((await session()).request().batch(`CREATE TABLE dbo.[${long}] (Id int)`), (error: sql.RequestError) => {
      assert.equal(error.number, 103);
      assert.equal(error.message, `The identifier that starts with '${'x'.repeat(128)}' is too long. Maximum length is 128.`);
      return true;
    });
  });

  it('undoes a transaction with XACT_ABORT, and a #temp table created inside it, but keeps one created before', async () => {
    const a = await session();
    await assert.rejects(a.request().batch(`CREATE TABLE #lk_before (Id int); SET XACT_ABORT ON;
BEGIN TRANSACTION; INSERT INTO #lk_before VALUES (1); CREATE TABLE #lk_inside (Id int); UPDATE dbo.lk_Two SET Qty = -5;
INSERT INTO dbo.lk_Two VALUES (1, 1);`), (error: sql.RequestError) => error.number === 2627);
    assert.deepEqual(await rows(a, 'SET XACT_ABORT OFF; SELECT @@TRANCOUNT AS Depth, (SELECT COUNT(*) FROM #lk_before) AS Before, OBJECT_ID(\'tempdb..#lk_inside\') AS Inside, (SELECT SUM(Qty) FROM dbo.lk_Two) AS Total'),
      [{ Depth: 0, Before: 0, Inside: null, Total: 30 }]);
  });

  it('makes other writers wait for a transaction that ran DDL, but not readers or #temp work', async () => {
    const [a, b] = [await session(), await session()];
    await a.request().batch('BEGIN TRANSACTION; UPDATE dbo.lk_Two SET Qty = 0 WHERE Id = 1; CREATE TABLE dbo.lk_New (Id int); INSERT INTO dbo.lk_New VALUES (1); UPDATE dbo.lk_Two SET Qty = 0 WHERE Id = 2;');
    assert.deepEqual(await rows(b, "SET LOCK_TIMEOUT 0; CREATE TABLE #lk_b (Id int); INSERT INTO #lk_b VALUES (1); SELECT SUM(Qty) AS Total, OBJECT_ID('dbo.lk_New') AS New FROM dbo.lk_Two"), [{ Total: 30, New: null }]);
    const write = b.request().batch('SET LOCK_TIMEOUT -1; UPDATE dbo.lk_One SET Qty = Qty WHERE Id = 1;');
    await waitFor(() => standIn.diagnostics().lockWaiters === 1, "B's write waits for the DDL transaction");
    await a.request().batch('ROLLBACK');
    await write;
    assert.deepEqual(await rows(b, "SELECT SUM(Qty) AS Total, OBJECT_ID('dbo.lk_New') AS New FROM dbo.lk_Two"), [{ Total: 30, New: null }]);
  });

  it('makes DROP TABLE wait for a transaction that wrote the table', async () => {
    const [a, b] = [await session(), await session()];
    await b.request().batch('CREATE TABLE dbo.lk_Doomed (Id int); INSERT INTO dbo.lk_Doomed VALUES (1);');
    await a.request().batch('BEGIN TRANSACTION; INSERT INTO dbo.lk_Doomed VALUES (2);');
    const drop = b.request().batch('DROP TABLE dbo.lk_Doomed');
    await waitFor(() => standIn.diagnostics().lockWaiters === 1, 'DROP waits');
    await a.request().batch('ROLLBACK');
    await drop;
    await assert.rejects(b.request().batch('SELECT * FROM dbo.lk_Doomed'), (error: sql.RequestError) => error.number === 208);
  });
});

describe('a stand-in killed in the middle of a transaction', () => {
  it('comes back from its --data file with the committed rows only', async (t) => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'hcmt-lk-'));
    t.after(() => fs.rmSync(directory, { recursive: true, force: true }));
    const seed = path.join(directory, 'seed.sql');
    fs.writeFileSync(seed, "CREATE TABLE dbo.Kept (Id int PRIMARY KEY, Name nvarchar(10));\nGO\nINSERT INTO dbo.Kept VALUES (1, N'one'), (2, N'two');\n");
    const args = ['--port', '0', '--seed', seed, '--data', path.join(directory, 'data.sqlite'), '--home', directory];
    const first = startProcess(args);
    t.after(() => first.child.kill('SIGKILL'));
    const pool = await openPool(configFromConnectionString(await first.connectionString));
    await pool.request().batch("BEGIN TRANSACTION; UPDATE dbo.Kept SET Name = N'lost'; DELETE FROM dbo.Kept WHERE Id = 1; INSERT INTO dbo.Kept VALUES (3, N'three');");
    first.child.kill('SIGKILL');
    await first.exited;
    await pool.close();
    const second = startProcess(args);
    t.after(() => second.child.kill('SIGKILL'));
    const again = await openPool(configFromConnectionString(await second.connectionString));
    try {
      assert.deepEqual((await again.request().query('SELECT Id, Name FROM dbo.Kept ORDER BY Id')).recordset, [{ Id: 1, Name: 'one' }, { Id: 2, Name: 'two' }]);
      await again.request().batch("UPDATE dbo.Kept SET Name = N'uno' WHERE Id = 1");
    } finally {
      await again.close();
    }
  });
});

const HCM = path.join(__dirname, '..', '..', '..', '..', 'bin', 'hcm.js');

function startProcess(args: string[]): { child: ReturnType<typeof spawn>; connectionString: Promise<string>; exited: Promise<void> } {
  const child = spawn(process.execPath, [HCM, 'sqlserver', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HCM_LOG_LEVEL: '' } });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const connectionString = lines.next().then((next) => {
    if (next.done) throw new Error(`hcm sqlserver printed nothing; stderr: ${stderr.slice(0, 2000)}`);
    return next.value;
  });
  return { child, connectionString, exited };
}
