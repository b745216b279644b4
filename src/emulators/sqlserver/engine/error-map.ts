/**
 * SQLite's errors in SQL Server's words. Constraint triggers raise a structured payload (see
 * constraint-triggers.ts) that becomes 2627, 2601, 547 or 2628 with SQL Server's text; NOT NULL
 * failures become 515; a name SQLite cannot find becomes 208 or 207. Errors the stand-in raised
 * itself (SqlError, also thrown from inside registered functions) pass through unchanged.
 */
import { isSqlError, SqlError, sqlErrors } from '../tsql/sql-error';
import { PAYLOAD_PREFIX, PAYLOAD_SEPARATOR } from '../tsql/translate/constraint-triggers';

export type StatementKind = 'INSERT' | 'UPDATE' | 'DELETE' | 'MERGE' | 'SELECT' | 'OTHER';

export function toSqlError(error: unknown, statement: StatementKind, database: string): SqlError {
  if (isSqlError(error)) return error;
  const err = error as { code?: string; message?: string };
  // A table variable's SQLite table is '@name~spid~n' (engine/table-variables.ts): messages show '@name'.
  const message = (err.message ?? String(error)).replace(/(@[^~\s'"]*)~\d+~\d+/g, '$1');
  if (message.startsWith(PAYLOAD_PREFIX)) return fromPayload(message.slice(PAYLOAD_PREFIX.length).split(PAYLOAD_SEPARATOR), database);
  const notNull = /^NOT NULL constraint failed: ([^.]+)\.(.+)$/.exec(message);
  if (notNull) return sqlErrors.nullNotAllowed(notNull[2], `${home(database, notNull[1])}.dbo.${notNull[1]}`, statement === 'UPDATE' ? 'UPDATE' : 'INSERT');
  const unique = /^UNIQUE constraint failed: ([^.]+)\./.exec(message);
  if (unique) return sqlErrors.duplicateKey('PRIMARY KEY', `PK_${unique[1]}`, `dbo.${unique[1]}`, '?');
  const table = /no such table: (?:main\.|temp\.)?(.+)$/.exec(message);
  if (table) return sqlErrors.invalidObjectName(table[1]);
  const column = /no such column: (.+)$/.exec(message);
  if (column) return sqlErrors.invalidColumnName(column[1].replace(/^.*\./, ''));
  if (/integer overflow/i.test(message)) return sqlErrors.arithmeticOverflow('int');
  if (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_LOCKED') return sqlErrors.lockTimeout();
  return sqlErrors.internal(message);
}

/** #temporary tables and table variables live in tempdb, and SQL Server's messages say so. */
function home(database: string, table: string): string {
  return /(^|\.)[#@]/.test(table) ? 'tempdb' : database;
}

function fromPayload(fields: string[], database: string): SqlError {
  const [number, ...rest] = fields;
  switch (number) {
    case '2627': {
      const [kind, constraint, table, value] = rest;
      return sqlErrors.duplicateKey(kind as 'PRIMARY KEY' | 'UNIQUE KEY', constraint, table, value);
    }
    case '2601': {
      const [index, table, value] = rest;
      return sqlErrors.duplicateKeyRow(table, index, value);
    }
    case '547': {
      const [statement, kind, constraint, table, column] = rest;
      return sqlErrors.constraintConflict(statement, kind, constraint, home(database, table), table, column || undefined);
    }
    case '2628': {
      const [table, column, value] = rest;
      return sqlErrors.truncation(`${home(database, table)}.${table}`, column, value);
    }
    default:
      return sqlErrors.internal(fields.join(' '));
  }
}
