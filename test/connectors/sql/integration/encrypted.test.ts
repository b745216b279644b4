/**
 * The connector's encrypted path (`hcm setup --encrypt`): HTTP → connector → mssql with
 * encrypt=true → the TDS stand-in speaking TLS inside TDS with a generated certificate. With
 * trustServerCertificate the connector serves rows; without it the database is unreachable and
 * the connector answers 503 naming the certificate problem, never the password.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../../src/common/logger';
import { loadOrCreateTlsIdentity } from '../../../../src/common/tls-certificate';
import { SqlServerStandIn } from '../../../../src/emulators/sqlserver';
import { RunningConnector, startConnector } from './connector';
import { CREATE_BATCHES, numberBatches, runBatches } from './seed';
import type { RunningTarget } from './targets';

describe('SQL connector over an encrypted connection (TLS inside TDS)', () => {
  let dir: string;
  let standIn: SqlServerStandIn;
  let target: RunningTarget;
  const connectors: RunningConnector[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-sql-tls-'));
    const tls = loadOrCreateTlsIdentity({ dir, name: 'hcm-sqlserver', hosts: ['localhost', '127.0.0.1'] });
    standIn = new SqlServerStandIn({ host: '127.0.0.1', port: 0, tls, logger: silentLogger() });
    await standIn.start();
    const { port } = standIn.address();
    const connection = { server: '127.0.0.1', port, database: 'HcmDemo', user: 'hcm_demo', password: 'HcmDemo-Passw0rd!', encrypt: true, trustServerCertificate: true };
    const config = { ...connection, options: { encrypt: true, trustServerCertificate: true }, requestTimeout: 60_000 };
    await runBatches(config, [...CREATE_BATCHES, ...numberBatches()]);
    target = { connection, config, standIn, close: () => standIn.close() };
  });
  after(async () => {
    for (const connector of connectors) await connector.close();
    await target.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves rows and writes through encrypt=true with trustServerCertificate=true', async () => {
    const connector = await startConnector(target);
    connectors.push(connector);
    const read = await connector.http.get('/tables/HcmNumbers/items').query({ $top: '3', $orderby: 'N' });
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.value.length, 3);
    const written = await connector.http.post('/tables/HcmCustomers/items').send({ Name: 'Encrypted Ella', City: 'Oslo' });
    assert.equal(written.status, 201, written.text);
  });

  it('answers 503 naming the certificate when the connector does not trust it, and never the password', async () => {
    const connector = await startConnector(target, { trustServerCertificate: false });
    connectors.push(connector);
    const response = await connector.http.get('/tables/HcmNumbers/items').query({ $top: '1' });
    assert.equal(response.status, 503, response.text);
    assert.match(response.text, /certificate/i);
    assert.doesNotMatch(response.text, /HcmDemo-Passw0rd!/);
  });
});
