/**
 * The stand-in judged by Microsoft.Data.SqlClient 7.1.2, a client we did not write: the probe
 * program (test/clients/sqlclient, built once by the test tool table, HCM_SQLCLIENT_PROBE) runs
 * every case in one process against a stand-in with a certificate — every demo table and column
 * type, NOT NULL and NULL columns, OUTPUT, procedures with output parameters, transactions, SQL
 * Server's error numbers, SqlBulkCopy of 1,000 rows, Encrypt=true with and without
 * TrustServerCertificate, sql_variant parameters and columns. The probe's Encrypt=false makes
 * SqlClient ask for login-only encryption, which the stand-in gives as SQL Server does. The
 * stand-in must still answer a read and a write afterwards.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../src/common/logger';
import { loadOrCreateTlsIdentity } from '../../../src/common/tls-certificate';
import { DEMO_LOGIN, SqlServerStandIn, demoSeedSql } from '../../../src/emulators/sqlserver';
import { configFromConnectionString, openPool } from './target';
import { startWireTap } from './wire-tap';

const PROBE = process.env.HCM_SQLCLIENT_PROBE;

let standIn: SqlServerStandIn;
let dir: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-sqlclient-'));
  const tls = loadOrCreateTlsIdentity({ dir, name: 'hcm-sqlserver', hosts: ['localhost', '127.0.0.1'] });
  standIn = new SqlServerStandIn({ port: 0, seedSql: demoSeedSql(), tls, logger: silentLogger() });
  await standIn.start();
});
after(async () => {
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function runProbe(probe: string, connectionString: string, only?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('dotnet', [probe, connectionString, ...(only ? [only] : [])], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('SQL Server stand-in judged by Microsoft.Data.SqlClient', () => {
  it('passes every case of the SqlClient probe, then still answers a read and a write', async () => {
    assert.ok(PROBE, 'HCM_SQLCLIENT_PROBE is not set: run the tests through "npm test", whose tool table builds the probe (test/clients/sqlclient)');
    const { code, output } = await runProbe(PROBE, standIn.connectionString());
    const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
    const failures = lines.filter((line) => line.startsWith('FAIL '));
    assert.deepEqual(failures, [], output);
    assert.ok(lines.filter((line) => line.startsWith('PASS ')).length >= 18, output);
    assert.equal(code, 0, output);
    const pool = await openPool(configFromConnectionString(standIn.connectionString()));
    try {
      assert.equal((await pool.request().query('UPDATE dbo.Products SET InStock = InStock WHERE ProductId = 1')).rowsAffected[0], 1);
      assert.equal((await pool.request().query('SELECT COUNT(*) AS n FROM dbo.Customers')).recordset[0].n > 0, true);
    } finally {
      await pool.close();
    }
  });

  it('Encrypt=false: the LOGIN7 packet travels inside TLS, the requests after it in clear text (as SQL Server)', async () => {
    assert.ok(PROBE, 'HCM_SQLCLIENT_PROBE is not set: run the tests through "npm test", whose tool table builds the probe (test/clients/sqlclient)');
    const tap = await startWireTap(standIn.address().port);
    try {
      const connectionString = standIn.connectionString().replace(/Server=127\.0\.0\.1,\d+/, `Server=127.0.0.1,${tap.port}`);
      assert.match(connectionString, /Encrypt=false/i);
      const { code, output } = await runProbe(PROBE, `${connectionString};Pooling=false`, 'answers a read and a write afterwards');
      assert.equal(code, 0, output);
      assert.equal(tap.sawInClear(DEMO_LOGIN.user), false, 'the user name of LOGIN7 crossed the network in clear text');
      assert.equal(tap.sawInClear('UPDATE dbo.Products'), true, 'the request after the login was not in clear text');
    } finally {
      await tap.close();
    }
  });
});
