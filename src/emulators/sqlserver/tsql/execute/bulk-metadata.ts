/**
 * System procedures that bulk-copy clients call before INSERT BULK: sp_tablecollations_100 (and
 * its older form sp_tablecollations_90) list a table's columns with their collations, so
 * SqlBulkCopy and freebcp know how to encode char/varchar values: each character column reports
 * its own COLLATE, or the database's SQL_Latin1_General_CP1_CI_AS; others get NULL, as on SQL Server.
 */
import type { CallResult, CallArgument } from './run-procedure';
import type { Executor } from './executor';
import { tokenize } from '../lexer';
import { Cursor } from '../parser/cursor';
import { sqlErrors } from '../sql-error';
import { textOf } from '../../protocol/types/value-write';
import { DEFAULT_COLLATION_NAME } from '../../protocol/types/collation';
import { collationInfo } from '../../protocol/types/code-page';
import { INT, SYSNAME, SqlType, StoredValue } from '../../sql-type';
import type { ResultColumn } from '../../protocol/tokens/col-metadata';

const BINARY_5: SqlType = { name: 'binary', length: 5 };
const CHARACTER_TYPES = new Set(['char', 'varchar', 'text', 'nchar', 'nvarchar', 'ntext', 'xml']);

/** Columns colid, name, tds_collation_<suffix>, collation_<suffix> (suffix '100', '90' or '' for sp_tablecollations). */
export async function tableCollations(ex: Executor, args: CallArgument[], suffix: string): Promise<CallResult> {
  const versions = [suffix];
  const text = args[0]?.value;
  if (text === null || text === undefined) throw sqlErrors.procedureNotFound('sp_tablecollations');
  const spelled = textOf(text);
  const parts = new Cursor(tokenize(spelled), spelled).objectName().parts;
  const name = parts[parts.length - 1];
  const table = name.startsWith('#') ? ex.session.tempTables.get(name.toLowerCase()) : ex.session.catalog().table(name);
  const columns: ResultColumn[] = [
    { name: 'colid', type: INT, nullable: false }, { name: 'name', type: SYSNAME, nullable: false },
    ...versions.map((v) => ({ name: suffix ? `tds_collation_${v}` : 'tds_collation', type: BINARY_5, nullable: true })),
    ...versions.map((v) => ({ name: suffix ? `collation_${v}` : 'collation', type: SYSNAME, nullable: true })),
  ];
  ex.sink.columns(columns);
  const rows = (table?.columns ?? []).map((column, i): StoredValue[] => {
    const character = CHARACTER_TYPES.has(column.type.name);
    // A column's own COLLATE tells SqlBulkCopy which code page to encode its varchar values in.
    const collation = column.type.collation ?? DEFAULT_COLLATION_NAME;
    return [i + 1, column.name, ...versions.map(() => (character ? collationInfo(collation).bytes : null)), ...versions.map(() => (character ? collation : null))];
  });
  for (const row of rows) {
    const wait = ex.sink.row(row);
    if (wait) await wait;
  }
  ex.sink.done({ inProc: true, rowCount: rows.length, command: 0xc1 });
  return { returnStatus: 0, outputs: [] };
}
