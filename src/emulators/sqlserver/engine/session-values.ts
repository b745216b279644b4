/**
 * The @@ values and the session functions (SCOPE_IDENTITY(), ERROR_NUMBER(), …) a statement reads
 * when it runs, with their SQL types, from the session's state and SET options.
 */
import type { SqlSession } from './sql-session';
import { INT, SqlType, StoredValue, SYSNAME } from '../sql-type';
import { optionsValue } from './session-options';

const NUMERIC_38_0: SqlType = { name: 'numeric', precision: 38, scale: 0 };

export function systemValue(session: SqlSession, name: string): { type: SqlType; get: () => StoredValue } | undefined {
  const values: Record<string, [SqlType, () => StoredValue]> = {
    '@@IDENTITY': [NUMERIC_38_0, () => session.identity],
    '@@ROWCOUNT': [INT, () => session.rowCount],
    '@@TRANCOUNT': [INT, () => transactionCount(session)],
    '@@ERROR': [INT, () => session.lastError],
    '@@SPID': [{ name: 'smallint' }, () => session.identityInfo.spid],
    '@@VERSION': [{ name: 'nvarchar', length: 300 }, () => session.server.version],
    '@@SERVERNAME': [SYSNAME, () => session.server.serverName],
    '@@SERVICENAME': [SYSNAME, () => 'MSSQLSERVER'],
    '@@LANGUAGE': [SYSNAME, () => session.options.language.name],
    '@@LANGID': [{ name: 'smallint' }, () => session.options.language.langid],
    '@@LOCK_TIMEOUT': [INT, () => session.options.lockTimeout],
    '@@NESTLEVEL': [INT, () => session.nestLevel],
    '@@MAX_PRECISION': [{ name: 'tinyint' }, () => 38],
    '@@DATEFIRST': [{ name: 'tinyint' }, () => session.options.dateFirst],
    '@@TEXTSIZE': [INT, () => session.options.textSize],
    '@@FETCH_STATUS': [INT, () => -1],
    '@@OPTIONS': [INT, () => optionsValue(session.options)],
    '@@MICROSOFTVERSION': [INT, () => 268_436_456],
    '@@DBTS': [{ name: 'varbinary', length: 8 }, () => Buffer.from(session.store.rowversion.toString(16).padStart(16, '0'), 'hex')],
  };
  const found = values[name.toUpperCase()];
  return found ? { type: found[0], get: found[1] } : undefined;
}

export function sessionValue(session: SqlSession, name: string): { type: SqlType; get: () => StoredValue } | undefined {
  const caught = () => session.caught;
  const values: Record<string, [SqlType, () => StoredValue]> = {
    SCOPE_IDENTITY: [NUMERIC_38_0, () => session.scopeIdentity],
    LOGIN: [SYSNAME, () => session.identityInfo.login],
    HOST_NAME: [SYSNAME, () => session.identityInfo.hostName],
    APP_NAME: [SYSNAME, () => session.identityInfo.appName],
    ERROR_NUMBER: [INT, () => caught()?.number ?? null],
    ERROR_MESSAGE: [{ name: 'nvarchar', length: 4000 }, () => caught()?.message ?? null],
    ERROR_SEVERITY: [INT, () => caught()?.severity ?? null],
    ERROR_STATE: [INT, () => caught()?.state ?? null],
    ERROR_LINE: [INT, () => caught()?.lineNumber ?? null],
    ERROR_PROCEDURE: [SYSNAME, () => caught()?.procName || null],
    XACT_STATE: [{ name: 'smallint' }, () => (session.tranCount > 0 ? 1 : 0)],
  };
  const found = values[name];
  return found ? { type: found[0], get: found[1] } : undefined;
}

/**
 * @@TRANCOUNT. Inside a trigger the statement that fired it is a transaction even in autocommit
 * mode (1), until the trigger's ROLLBACK ends it (0).
 */
function transactionCount(session: SqlSession): number {
  const frames = session.triggerFrames;
  if (frames.length === 0) return session.tranCount;
  if (frames.some((frame) => frame.rolledBack)) return 0;
  return Math.max(1, session.tranCount);
}
