/**
 * TLS inside TDS: with a certificate (src/common/tls-certificate.ts), a client asking for
 * encryption gets the TLS handshake inside PRELOGIN packets and then the whole connection in TLS;
 * a client that does not trust the certificate fails with its own certificate error; a client
 * that does not ask stays in clear text. The stand-in stays alive after each.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sql from 'mssql';
import { silentLogger } from '../../../src/common/logger';
import { loadOrCreateTlsIdentity, TlsIdentity } from '../../../src/common/tls-certificate';
import { SqlServerStandIn } from '../../../src/emulators/sqlserver';
import { configFromConnectionString } from './target';

let standIn: SqlServerStandIn;
let identity: TlsIdentity;
let dir: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-sql-tls-'));
  identity = loadOrCreateTlsIdentity({ dir, name: 'hcm-sqlserver', hosts: ['localhost', '127.0.0.1'] });
  standIn = new SqlServerStandIn({ port: 0, tls: identity, logger: silentLogger() });
  await standIn.start();
});
after(async () => {
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function roundTrip(options: sql.config['options']): Promise<string> {
  const pool = new sql.ConnectionPool({ ...configFromConnectionString(standIn.connectionString()), options: { ...options } });
  await pool.connect();
  try {
    await pool.request().batch('CREATE TABLE #t (v nvarchar(50) NOT NULL); INSERT INTO #t VALUES (N\'through TLS\')');
    const result = await pool.request().query('SELECT v FROM #t');
    return result.recordset[0].v as string;
  } finally {
    await pool.close();
  }
}

describe('SQL Server stand-in: TLS inside TDS', () => {
  it('encrypts the connection for encrypt=true with trustServerCertificate=true, many rows and a large value included', async () => {
    assert.equal(await roundTrip({ encrypt: true, trustServerCertificate: true }), 'through TLS');
    const pool = new sql.ConnectionPool({ ...configFromConnectionString(standIn.connectionString()), options: { encrypt: true, trustServerCertificate: true } });
    await pool.connect();
    try {
      const big = 'x'.repeat(100_000);
      const result = await pool.request().input('big', sql.NVarChar(sql.MAX), big).query('SELECT @big AS big, LEN(@big) AS n');
      assert.equal(Number(result.recordset[0].n), 100_000); // LEN of a (max) value is bigint
      assert.equal(result.recordset[0].big, big);
    } finally {
      await pool.close();
    }
  });

  it('reports the connection as encrypted, with its TDS version, in sys.dm_exec_connections', async () => {
    const query = 'SELECT c.protocol_version, c.encrypt_option FROM sys.dm_exec_connections AS c WHERE c.session_id = @@SPID';
    for (const encrypt of [true, false]) {
      const pool = new sql.ConnectionPool({ ...configFromConnectionString(standIn.connectionString()), options: { encrypt, trustServerCertificate: true } });
      await pool.connect();
      try {
        assert.deepEqual((await pool.request().query(query)).recordset, [{ protocol_version: 0x74000004, encrypt_option: encrypt ? 'TRUE' : 'FALSE' }]);
      } finally {
        await pool.close();
      }
    }
  });

  it('encrypts for a client that trusts the certificate file, and checks the host name', async () => {
    const ca = fs.readFileSync(identity.certPath, 'utf8');
    assert.equal(await roundTrip({ encrypt: true, trustServerCertificate: false, cryptoCredentialsDetails: { ca } }), 'through TLS');
  });

  it("fails with the client's certificate error when the client does not trust it, and keeps serving", async () => {
    await assert.rejects(roundTrip({ encrypt: true, trustServerCertificate: false }), (error: Error) => /certificate/i.test(error.message));
    assert.equal(await roundTrip({ encrypt: false }), 'through TLS');
  });
});
