/**
 * Starts the real connector site (SqlConnectorSite: manifest in a temporary HCM_HOME, real HTTP on
 * 127.0.0.1:0) against a running target, and gives tests a supertest agent, direct SQL access and
 * a way to change the settings as `hcm setup` would (by rewriting the manifest).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sql from 'mssql';
import supertest from 'supertest';
import { silentLogger } from '../../../../src/common/logger';
import { Manifest, emptyManifest } from '../../../../src/config/manifest';
import { writeManifest } from '../../../../src/config/manifest-store';
import { SQL_SETTINGS_DEFAULTS, SqlConnectorSettings } from '../../../../src/config/sql-settings';
import { SqlConnectorSite } from '../../../../src/connectors/sql/site';
import { after, before } from 'node:test';
import { RunningTarget, TargetDefinition } from './targets';

export const SITE = 'MicrosoftSqlConnector_001';

export const TEST_SETTINGS: Partial<SqlConnectorSettings> = {
  tables: ['HcmCustomers', 'dbo.HcmOrders', 'HcmLines', 'HcmNumbers', 'HcmQueue'],
  procedures: ['HcmCustomerOrders'],
  allowQuery: true,
  dataAvailableQuery: 'SELECT COUNT(*) AS Waiting FROM dbo.HcmQueue WHERE Taken = 0',
  pollDataQuery: 'UPDATE dbo.HcmQueue SET Taken = 1 OUTPUT INSERTED.Id, INSERTED.Payload WHERE Taken = 0',
  requestTimeoutMs: 20_000,
};

export interface RunningConnector {
  url: string;
  http: ReturnType<typeof supertest>;
  site: SqlConnectorSite;
  home: string;
  /** Rewrites the manifest entry's settings (the site picks the change up by itself). */
  updateSettings(change: Partial<SqlConnectorSettings>): void;
  /** Runs SQL straight against the target (for setup and for checking effects). */
  query<T = Record<string, unknown>>(text: string): Promise<T[]>;
  close(): Promise<void>;
}

function manifestFor(settings: SqlConnectorSettings): Manifest {
  const manifest = emptyManifest();
  manifest.connectors.push({
    site: SITE,
    appPool: 'HybridAppPool001',
    port: 6569,
    kind: 'sql',
    hybridConnection: { endpoint: 'sb://127.0.0.1:9351/', entityPath: 'sql-orders', keyName: 'RootManageSharedAccessKey', key: 'dGVzdC1rZXk=', emulator: true },
    settings,
  });
  return manifest;
}

export async function startConnector(target: RunningTarget, overrides: Partial<SqlConnectorSettings> = {}): Promise<RunningConnector> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-sql-'));
  let settings: SqlConnectorSettings = { ...SQL_SETTINGS_DEFAULTS, tables: [], procedures: [], ...target.connection, ...TEST_SETTINGS, ...overrides } as SqlConnectorSettings;
  writeManifest(home, manifestFor(settings));
  const site = new SqlConnectorSite({ port: 0, home, siteName: SITE, logger: silentLogger(), watchIntervalMs: 100, drainMs: 2000 });
  await site.start();
  const { port } = site.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const pool = new sql.ConnectionPool(structuredClone(target.config));
  pool.on('error', () => undefined);
  return {
    url,
    http: supertest(url),
    site,
    home,
    updateSettings(change) {
      settings = { ...settings, ...change };
      writeManifest(home, manifestFor(settings));
    },
    async query<T>(text: string): Promise<T[]> {
      if (!pool.connected) await pool.connect();
      return (await pool.request().query(text)).recordset as unknown as T[];
    },
    async close() {
      if (site.status === 'Running') await site.close();
      await pool.close().catch(() => undefined);
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns true or the deadline passes (generous deadlines, never timed assertions). */
export async function eventually(check: () => Promise<boolean>, deadlineMs: number, what: string): Promise<void> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Not within ${deadlineMs} ms: ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/**
 * Registers the suite's hooks: start the target and a connector on it before the tests, and stop
 * both after them (clearing any response delay a fault test left on the stand-in).
 */
export function withConnector(definition: TargetDefinition, ready: (target: RunningTarget, connector: RunningConnector) => void): void {
  let target: RunningTarget | undefined;
  let connector: RunningConnector | undefined;
  before(async () => {
    const started = await definition.start();
    target = started;
    connector = await startConnector(started);
    ready(started, connector);
  });
  after(async () => {
    target?.standIn?.faults.setResponseDelay(0);
    await connector?.close();
    await target?.close();
  });
}
