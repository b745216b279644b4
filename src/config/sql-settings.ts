/**
 * The SQL connector's settings, as stored in its manifest entry ("settings"): the 2015 connector's
 * fields (Server Name, Port, User Name, Password, Database Name, Tables, Stored Procedures, Data
 * Available Query, Poll Data Query) plus today's limits.
 */
import { FieldErrors } from './validation';

export interface SqlConnectorSettings {
  server: string;
  /** TCP port (default 1433); exclusive with instance. */
  port?: number;
  /** Named instance (resolved through SQL Browser); exclusive with port. */
  instance?: string;
  database: string;
  user: string;
  password: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
  /** Allowed tables; empty means all, as in 2015. */
  tables: string[];
  /** Allowed stored procedures; empty means none. */
  procedures: string[];
  dataAvailableQuery?: string;
  pollDataQuery?: string;
  allowQuery: boolean;
  requestTimeoutMs: number;
  maxRequestBytes: number;
  pageSize: number;
}

export const SQL_SETTINGS_DEFAULTS = {
  server: 'localhost',
  database: 'master',
  user: '',
  password: '',
  encrypt: false,
  trustServerCertificate: false,
  tables: [] as string[],
  procedures: [] as string[],
  allowQuery: false,
  requestTimeoutMs: 45000,
  maxRequestBytes: 10 * 1024 * 1024,
  pageSize: 1000,
} as const;

// eslint-disable-next-line no-control-regex -- names may hold anything but NUL (and "]" in a database name)
const NO_NUL_128 = /^[^\]\u0000]{1,128}$/;
// eslint-disable-next-line no-control-regex -- a login name may hold anything but NUL
const NO_NUL_0_128 = /^[^\u0000]{0,128}$/;

/** Validates settings read from the manifest or the CLI; `where` prefixes every field name. */
export function validateSqlSettings(value: unknown, where: string, problems: FieldErrors): SqlConnectorSettings | undefined {
  if (!problems.isObject(value, where)) return undefined;
  const v = value as Record<string, unknown>;
  problems.noUnknownFields(v, where, [
    'server', 'port', 'instance', 'database', 'user', 'password', 'encrypt', 'trustServerCertificate', 'tables',
    'procedures', 'dataAvailableQuery', 'pollDataQuery', 'allowQuery', 'requestTimeoutMs', 'maxRequestBytes', 'pageSize',
  ]);
  const settings: SqlConnectorSettings = {
    server: problems.string(v.server, `${where}.server`, { defaultValue: SQL_SETTINGS_DEFAULTS.server, pattern: /^[A-Za-z0-9._:\-[\]]{1,253}$/ }),
    port: problems.optionalInteger(v.port, `${where}.port`, 1, 65535),
    instance: problems.optionalString(v.instance, `${where}.instance`, /^[A-Za-z0-9_$#-]{1,16}$/),
    database: problems.string(v.database, `${where}.database`, { defaultValue: SQL_SETTINGS_DEFAULTS.database, pattern: NO_NUL_128 }),
    user: problems.string(v.user, `${where}.user`, { defaultValue: '', pattern: NO_NUL_0_128 }),
    password: problems.string(v.password, `${where}.password`, { defaultValue: '', secret: true }),
    encrypt: problems.boolean(v.encrypt, `${where}.encrypt`, SQL_SETTINGS_DEFAULTS.encrypt),
    trustServerCertificate: problems.boolean(v.trustServerCertificate, `${where}.trustServerCertificate`, false),
    tables: problems.stringList(v.tables, `${where}.tables`),
    procedures: problems.stringList(v.procedures, `${where}.procedures`),
    dataAvailableQuery: problems.optionalString(v.dataAvailableQuery, `${where}.dataAvailableQuery`),
    pollDataQuery: problems.optionalString(v.pollDataQuery, `${where}.pollDataQuery`),
    allowQuery: problems.boolean(v.allowQuery, `${where}.allowQuery`, false),
    requestTimeoutMs: problems.integer(v.requestTimeoutMs, `${where}.requestTimeoutMs`, 1000, 3_600_000, SQL_SETTINGS_DEFAULTS.requestTimeoutMs),
    maxRequestBytes: problems.integer(v.maxRequestBytes, `${where}.maxRequestBytes`, 1024, 1024 ** 3, SQL_SETTINGS_DEFAULTS.maxRequestBytes),
    pageSize: problems.integer(v.pageSize, `${where}.pageSize`, 1, 100_000, SQL_SETTINGS_DEFAULTS.pageSize),
  };
  if (settings.port !== undefined && settings.instance !== undefined) {
    problems.add(`${where}.instance`, 'give either port or instance, not both');
  }
  if ((settings.dataAvailableQuery === undefined) !== (settings.pollDataQuery === undefined)) {
    problems.add(`${where}.pollDataQuery`, 'dataAvailableQuery and pollDataQuery go together: give both or neither');
  }
  for (const name of Object.keys(settings) as Array<keyof SqlConnectorSettings>) {
    if (settings[name] === undefined) delete settings[name];
  }
  return settings;
}
