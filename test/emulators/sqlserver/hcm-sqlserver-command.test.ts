/**
 * `hcm sqlserver` as a user runs it: a child process that prints its connection string alone on
 * one line, serves the demo database to mssql through that string, and stops on SIGTERM; a
 * custom --seed; --help; a port in use (exit 1) and bad options (exit 2).
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { describe, it, TestContext } from 'node:test';
import { DEMO_DATABASE, DEMO_LOGIN } from '../../../src/emulators/sqlserver';
import { configFromConnectionString, openPool } from './target';

const HCM = path.join(__dirname, '..', '..', '..', '..', 'bin', 'hcm.js');
const CONNECTION_STRING = new RegExp(`^Server=127\\.0\\.0\\.1,(\\d+);Database=${DEMO_DATABASE};User Id=${DEMO_LOGIN.user};Password=${DEMO_LOGIN.password.replace(/[-!]/g, '\\$&')};Encrypt=false$`);

function start(t: TestContext, args: string[]): { child: ChildProcess; firstLine: Promise<string>; exited: Promise<number | null>; stderr: () => string } {
  // Its own --home, so the generated TLS certificate lands in a temporary folder.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcmt-sqlhome-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const child = spawn(process.execPath, [HCM, 'sqlserver', '--home', home, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HCM_LOG_LEVEL: '' } });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const firstLine = lines.next().then((next) => {
    if (next.done) throw new Error(`hcm sqlserver printed nothing; stderr: ${stderr.slice(0, 2000)}`);
    return next.value;
  });
  return { child, firstLine, exited, stderr: () => stderr };
}

function runHcm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  // A home of its own: a start that gets as far as the certificate writes it there.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcmt-sqlhome-'));
  try {
    const result = spawnSync(process.execPath, [HCM, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, HCM_LOG_LEVEL: '', HCM_HOME: home } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

describe('hcm sqlserver', () => {
  it('prints its connection string alone on a line, serves the demo database through it, and stops on SIGTERM', async (t) => {
    const server = start(t, ['--port', '0']);
    const line = await server.firstLine;
    assert.match(line, CONNECTION_STRING);
    const pool = await openPool(configFromConnectionString(line));
    try {
      const counts = await pool.request().query('SELECT (SELECT COUNT(*) FROM dbo.Customers) AS Customers, (SELECT COUNT(*) FROM dbo.Orders) AS Orders');
      assert.deepEqual(counts.recordset, [{ Customers: 60, Orders: 200 }]);
    } finally {
      await pool.close();
    }
    const tlsLine = /TLS certificate for Encrypt=true: (\S+hcm-sqlserver\.crt) \(SHA-1 thumbprint ([0-9A-F]{40})\)/.exec(server.stderr());
    assert.ok(tlsLine, `no certificate line in: ${server.stderr()}`);
    assert.ok(fs.existsSync(tlsLine[1]));
    const encrypted = await openPool({ ...configFromConnectionString(line), options: { encrypt: true, trustServerCertificate: true } });
    try {
      assert.deepEqual((await encrypted.request().query('SELECT COUNT(*) AS n FROM dbo.Products')).recordset, [{ n: 40 }]);
    } finally {
      await encrypted.close();
    }
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    assert.match(server.stderr(), /SQL Server stand-in stopping \(SIGTERM\)/);
  });

  it('creates the database from a --seed script instead of the demo data', async (t) => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'hcmt-seed-'));
    t.after(() => fs.rmSync(directory, { recursive: true, force: true }));
    const seed = path.join(directory, 'seed.sql');
    fs.writeFileSync(seed, "CREATE TABLE dbo.Widgets (Id int PRIMARY KEY, Name nvarchar(20));\nGO\nINSERT INTO dbo.Widgets VALUES (1, N'sprocket');\n");
    const server = start(t, ['--port', '0', '--seed', seed]);
    const pool = await openPool(configFromConnectionString(await server.firstLine));
    try {
      assert.deepEqual((await pool.request().query('SELECT Name FROM dbo.Widgets')).recordset, [{ Name: 'sprocket' }]);
      assert.equal((await pool.request().query("SELECT OBJECT_ID('dbo.Customers') AS Demo")).recordset[0].Demo, null);
    } finally {
      await pool.close();
    }
    server.child.kill('SIGINT');
    assert.equal(await server.exited, 0);
  });

  it('explains a port in use and exits 1', async (t) => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => blocker.close());
    const port = (blocker.address() as net.AddressInfo).port;
    const result = runHcm(['sqlserver', '--port', String(port)]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`hcm sqlserver: Port ${port} on 127\\.0\\.0\\.1 is already in use`));
    assert.equal(result.stdout, '');
  });

  it('has a full --help and refuses bad options with exit 2', () => {
    const help = runHcm(['sqlserver', '--help']);
    assert.equal(help.status, 0);
    for (const part of ['Usage: hcm sqlserver [--port 1433] [--seed FILE] [--data FILE]', '--port N', '--seed FILE', '--data FILE', 'Encrypt=false', 'Exit codes']) {
      assert.ok(help.stdout.includes(part), `--help mentions ${part}`);
    }
    assert.equal(runHcm(['sqlserver', '--port', 'eighty']).status, 2);
    const missing = runHcm(['sqlserver', '--port', '0', '--seed', path.join(os.tmpdir(), 'no-such-seed.sql')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--seed .*no-such-seed\.sql: no such file/);
  });
});
