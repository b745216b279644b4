/**
 * The benchmark's world, all on loopback: the relay emulator and the SQL Server stand-in as their
 * own processes (`hcm relay`, `hcm sqlserver`), a connector set up with `hcm setup`, the listener
 * and connector sites as children (as IIS or `hcm start` run them), and an echo server.
 */
import { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sql from 'mssql';
import { runSetup, waitUntilServing } from '../../src/cli/demo-chain';
import { parseConfigurationString } from '../../src/config/connection-string';
import { ConnectorEntry, Manifest } from '../../src/config/manifest';
import { logDirectory, readManifest, updateManifest } from '../../src/config/manifest-store';
import { anyFreeLoopbackPort } from '../../src/config/names';
import { CONNECTOR_SCRIPT, LISTENER_SCRIPT } from '../../src/host/standalone-host';
import { SiteProcess } from '../../src/host/site-process';
import { createHybridConnectionToken, httpUri } from '../../src/relay/uris';
import { childExecArgv, ECHO_SERVER, hcmArgs, startPrinting, stopChild } from './processes';

export interface BenchEnvironment {
  home: string;
  manifest: Manifest;
  sqlConnector: ConnectorEntry;
  sqlConnectionString: string;
  /** ServiceBusAuthorization header value for the relayed calls. */
  token: string;
  relayedUrl(entityPath: string, suffix: string): string;
  echoPort: number;
  pids: { listener: number; connector: number };
  stop(): Promise<void>;
}

/** `benchRows`: rows seeded into dbo.BenchRows before the sites start (their catalog is then current). */
export async function startEnvironment(benchRows: number): Promise<BenchEnvironment> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-bench-'));
  const children: ChildProcess[] = [];
  const sites: SiteProcess[] = [];
  const stop = async () => {
    await Promise.all(sites.map((site) => site.stop()));
    await Promise.all(children.map(stopChild));
    fs.rmSync(home, { recursive: true, force: true });
  };
  try {
    const relay = await startPrinting(hcmArgs('relay', '--port', '0', '--no-tls', '--hybrid-connection', 'sql-orders', '--hybrid-connection', 'echo'), /^(Endpoint=sb:\/\/.*EntityPath=([^;]+).*)$/, 2);
    children.push(relay.child);
    const strings = new Map(relay.matches.map((m) => [m[2], m[1]]));
    const database = await startPrinting(hcmArgs('sqlserver', '--port', '0'), /^(Server=127\.0\.0\.1,(\d+);Database=([^;]+);User Id=([^;]+);Password=([^;]+);Encrypt=false)$/);
    children.push(database.child);
    const [sqlConnectionString, sqlPort, dbName, user, password] = database.matches[0].slice(1);
    await seedBenchRows(sqlConnectionString, benchRows);
    const echo = await startPrinting([...childExecArgv, '-e', ECHO_SERVER], /^echo listening on (\d+)$/);
    children.push(echo.child);
    const echoPort = Number(echo.matches[0][1]);

    await updateManifest(home, async (m) => ({ ...m, listener: { ...m.listener, port: await anyFreeLoopbackPort() } }));
    await runSetup(home, strings.get('sql-orders')!, ['--sql-server', '127.0.0.1', '--sql-port', sqlPort, '--database', dbName, '--user', user], password);
    await runSetup(home, strings.get('echo')!, []);
    // The echo "connector" is the echo server; large results come back in one page. The SQL
    // connector takes any free port, not 6569 upward, so runs beside other tests never collide.
    const connectorPort = await anyFreeLoopbackPort();
    await updateManifest(home, (m) => {
      m.connectors[0].settings.pageSize = 100_000;
      m.connectors[0].port = connectorPort;
      m.connectors[1].port = echoPort;
      return m;
    });
    const manifest = readManifest(home);
    const sqlConnector = manifest.connectors[0];
    const siteOptions = { home, logDir: logDirectory(home), onLine: () => undefined, env: { HCM_LOG_LEVEL: 'silent' }, execArgv: childExecArgv };
    for (const spec of [
      { site: manifest.listener.site, script: LISTENER_SCRIPT, port: manifest.listener.port },
      { site: sqlConnector.site, script: CONNECTOR_SCRIPT, port: sqlConnector.port },
    ]) {
      const site = new SiteProcess(spec, siteOptions);
      site.start();
      sites.push(site);
    }
    await waitUntilServing(manifest, sqlConnector);
    const target = parseConfigurationString(strings.get('sql-orders')!);
    return {
      home,
      manifest,
      sqlConnector,
      sqlConnectionString,
      token: createHybridConnectionToken({ ...target, entityPath: '' }, target.keyName!, target.key!, { lifetimeSeconds: 3 * 3600 }),
      relayedUrl: (entityPath, suffix) => httpUri({ ...target, entityPath }, suffix),
      echoPort,
      pids: { listener: sites[0].pid!, connector: sites[1].pid! },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Adds dbo.BenchRows with `rows` rows through the driver (setup, not measured). */
export async function seedBenchRows(connectionString: string, rows: number): Promise<void> {
  const pool = await new sql.ConnectionPool(connectionString).connect();
  try {
    await pool.request().batch(
      'CREATE TABLE dbo.BenchRows (Id int IDENTITY(1,1) PRIMARY KEY, Name nvarchar(40) NOT NULL, Amount decimal(12,2) NOT NULL, CreatedAt datetime2 NOT NULL)',
    );
    const batch = 10_000;
    for (let start = 0; start < rows; start += batch) {
      const table = new sql.Table('dbo.BenchRows');
      table.columns.add('Name', sql.NVarChar(40), { nullable: false });
      table.columns.add('Amount', sql.Decimal(12, 2), { nullable: false });
      table.columns.add('CreatedAt', sql.DateTime2, { nullable: false });
      for (let i = start; i < Math.min(rows, start + batch); i++) table.rows.add(`row number ${i}`, (i % 100000) / 100, new Date(Date.UTC(2026, 0, 1) + i * 1000));
      await pool.request().bulk(table);
    }
  } finally {
    await pool.close();
  }
}
