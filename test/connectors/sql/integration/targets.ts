/**
 * The suite is written once and run against each target (node-mssql's pattern): the TDS stand-in
 * always, and a real SQL Server when HCM_TEST_SQLSERVER holds an ADO.NET connection string. When it
 * does not, the suite says so in its output (a skipped test with the reason), never silently.
 */
import sql from 'mssql';
import { silentLogger } from '../../../../src/common/logger';
import type { SqlConnectorSettings } from '../../../../src/config/sql-settings';
import { SqlServerStandIn } from '../../../../src/emulators/sqlserver';
import { CREATE_BATCHES, DROP_BATCHES, numberBatches, runBatches } from './seed';

export interface RunningTarget {
  /** Settings for the connector (server, port, database, login). */
  connection: Pick<SqlConnectorSettings, 'server' | 'port' | 'database' | 'user' | 'password' | 'encrypt' | 'trustServerCertificate'>;
  /** Direct mssql configuration, for setup and for checking what the connector did. */
  config: sql.config;
  /** Only the stand-in can be stopped and started again (outage tests). */
  standIn?: SqlServerStandIn;
  close(): Promise<void>;
}

export interface TargetDefinition {
  name: string;
  /**
   * Whether the target stores decimal and money exactly and compares datetimeoffset values by
   * instant. The stand-in keeps decimals in SQLite REAL (doubles, so values beyond 15-17 digits are
   * rounded when stored) and datetimeoffset as text; those checks run against SQL Server only.
   */
  faithfulTypes: boolean;
  /** Why the target does not run here, when it does not. */
  unavailable?: string;
  start(): Promise<RunningTarget>;
}

export const REAL_SERVER_VARIABLE = 'HCM_TEST_SQLSERVER';

function fromConnectionString(text: string): Pick<RunningTarget, 'connection' | 'config'> {
  const parsed = sql.ConnectionPool.parseConnectionString(text) as sql.config & { options: { encrypt?: boolean; trustServerCertificate?: boolean } };
  const connection = {
    server: parsed.server,
    port: parsed.port ?? 1433,
    database: parsed.database ?? 'master',
    user: parsed.user ?? '',
    password: parsed.password ?? '',
    encrypt: parsed.options?.encrypt ?? false,
    trustServerCertificate: parsed.options?.trustServerCertificate ?? true,
  };
  const config: sql.config = {
    server: connection.server,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    password: connection.password,
    options: { encrypt: connection.encrypt, trustServerCertificate: connection.trustServerCertificate },
    requestTimeout: 60_000,
  };
  return { connection, config };
}

const standInTarget: TargetDefinition = {
  name: 'TDS stand-in',
  faithfulTypes: false,
  async start() {
    const standIn = new SqlServerStandIn({ host: '127.0.0.1', port: 0, logger: silentLogger() });
    await standIn.start();
    const target = fromConnectionString(standIn.connectionString());
    await runBatches(target.config, [...CREATE_BATCHES, ...numberBatches()]);
    return {
      ...target,
      standIn,
      close: async () => {
        if (standIn.status === 'Running') await standIn.close();
      },
    };
  },
};

const realServer = process.env[REAL_SERVER_VARIABLE];
const realServerTarget: TargetDefinition = {
  name: 'SQL Server (HCM_TEST_SQLSERVER)',
  faithfulTypes: true,
  unavailable: realServer ? undefined : `${REAL_SERVER_VARIABLE} is not set, so the suite runs against the TDS stand-in only (set it to an ADO.NET connection string to also run it against a real SQL Server)`,
  async start() {
    const target = fromConnectionString(realServer!);
    await runBatches(target.config, [...DROP_BATCHES, ...CREATE_BATCHES, ...numberBatches()]);
    return { ...target, close: async () => runBatches(target.config, DROP_BATCHES).catch(() => undefined) };
  },
};

export const TARGETS: TargetDefinition[] = [standInTarget, realServerTarget];
