/**
 * The integration suite runs against each target (node-mssql's pattern): the TDS stand-in
 * always, and a real SQL Server when HCM_TEST_SQLSERVER holds an ADO.NET connection string
 * (Server=host,port;Database=…;User Id=…;Password=…;Encrypt=…;TrustServerCertificate=…).
 * Without it the real-server suite is reported as skipped with the reason, never silently.
 */
import sql from 'mssql';
import { silentLogger } from '../../../src/common/logger';
import { SqlServerStandIn } from '../../../src/emulators/sqlserver';
import { splitBatches } from '../../../src/emulators/sqlserver/tsql/lexer';

export const REAL_SERVER_VARIABLE = 'HCM_TEST_SQLSERVER';

export interface Target {
  name: string;
  config: sql.config;
  database: string;
  /** Only the stand-in can be inspected, stopped and faulted. */
  standIn?: SqlServerStandIn;
  close(): Promise<void>;
}

export interface TargetDefinition {
  name: string;
  /** Why the target cannot run here (the skip reason printed by the test runner). */
  unavailable?: string;
  start(): Promise<Target>;
}

export function configFromConnectionString(text: string): sql.config {
  const parsed = sql.ConnectionPool.parseConnectionString(text) as sql.config;
  return {
    ...parsed,
    options: { encrypt: false, trustServerCertificate: true, ...parsed.options },
    pool: { max: 10, min: 0 },
    requestTimeout: 30_000,
  };
}

export const STAND_IN: TargetDefinition = {
  name: 'the TDS stand-in',
  async start() {
    const standIn = new SqlServerStandIn({ port: 0, logger: silentLogger() });
    await standIn.start();
    const config = configFromConnectionString(standIn.connectionString());
    return { name: 'the TDS stand-in', config, database: String(config.database), standIn, close: () => standIn.close() };
  },
};

const realConnectionString = process.env[REAL_SERVER_VARIABLE];

export const REAL_SERVER: TargetDefinition = {
  name: 'a real SQL Server',
  unavailable: realConnectionString ? undefined
    : `${REAL_SERVER_VARIABLE} is not set: the real SQL Server target is not configured (set it to an ADO.NET connection string to compare the stand-in with a real server)`,
  async start() {
    const config = configFromConnectionString(realConnectionString!);
    return { name: 'a real SQL Server', config, database: String(config.database ?? 'master'), close: async () => undefined };
  },
};

export const TARGETS = [STAND_IN, REAL_SERVER];

if (!realConnectionString) {
  console.log(`# sqlserver integration: ${REAL_SERVER.unavailable}.`);
}

/** A connected pool whose 'error' events are collected (a dropped connection emits one). */
export async function openPool(config: sql.config): Promise<sql.ConnectionPool> {
  const pool = new sql.ConnectionPool(structuredClone(config));
  pool.on('error', () => undefined);
  await pool.connect();
  return pool;
}

/** Runs a GO-separated script, batch by batch. */
export async function runScript(pool: sql.ConnectionPool, script: string): Promise<void> {
  for (const batch of splitBatches(script)) await pool.request().batch(batch.text);
}

/** Polls `check` until it holds (no timing assertions: a generous deadline, then a clear failure). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting until ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
