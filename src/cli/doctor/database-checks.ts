/** The database login check: connect with the connector's own settings and run SELECT 1. */
import sql from 'mssql';
import { SqlConnectorSettings } from '../../config/sql-settings';
import { poolConfig } from '../../connectors/sql/db/database';
import { CheckResult, fail, pass } from './check';

const LOGIN_TIMEOUT_MS = 8000;

const FIXES: Record<number, string> = {
  18456: "The login or password is wrong: run 'hcm setup' again with --user and --password-stdin (or HCM_SQL_PASSWORD), and check the login has SQL Server authentication enabled.",
  4060: 'The database does not exist or the login may not open it: check --database and grant the login access (CREATE USER … FOR LOGIN …).',
  18452: 'The server only accepts Windows authentication: enable SQL Server and Windows Authentication mode.',
};

/**
 * tedious drops the error number of a failed login (it keeps only the text, code ELOGIN), so the
 * well-known login texts are recognised by their wording.
 */
const LOGIN_TEXTS: Array<[RegExp, number]> = [
  [/^Login failed for user/i, 18456],
  [/^Cannot open database/i, 4060],
  [/untrusted domain|Windows authentication/i, 18452],
];

function errorNumber(error: unknown): number | undefined {
  const e = error as { number?: number; code?: string; message?: string; originalError?: { info?: { number?: number } } };
  const direct = e.number ?? e.originalError?.info?.number;
  if (direct !== undefined) return direct;
  return LOGIN_TEXTS.find(([pattern]) => pattern.test(e.message ?? ''))?.[1];
}

export async function checkDatabaseLogin(site: string, settings: SqlConnectorSettings): Promise<CheckResult> {
  const name = `database login for ${site}`;
  const config = { ...poolConfig({ ...settings, requestTimeoutMs: LOGIN_TIMEOUT_MS }), pool: { max: 1, min: 0 } } as sql.config;
  const pool = new sql.ConnectionPool(config);
  try {
    await pool.connect();
    await pool.request().query('SELECT 1 AS ok');
    return pass(name, `Logged in to ${settings.database} as ${settings.user || '(no user)'}.`);
  } catch (error) {
    const number = errorNumber(error);
    const fix = (number !== undefined && FIXES[number]) || 'Check the server name, port or instance, and that SQL Server accepts remote TCP connections.';
    return fail(name, `${(error as Error).message}${number !== undefined ? ` (SQL error ${number})` : ''}`, fix);
  } finally {
    await pool.close().catch(() => undefined);
  }
}
