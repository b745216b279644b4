/**
 * CREATE TYPE (table types and alias types) and DROP TYPE, with SQL Server's errors: 219 when the
 * type exists, 218 when DROP finds none, 3732 while a procedure parameter or a column uses it.
 * Also the checks CREATE PROCEDURE makes of parameter types: 2715 for an unknown type, 352 for a
 * table-valued parameter without READONLY, 346 for READONLY on any other parameter.
 */
import type { ObjectName, ProcedureParameter, Statement } from '../ast';
import type { Executor } from './executor';
import { deleteType, nextObjectId, saveDefinition, TypeDefinition } from '../../engine/catalog';
import { buildTableDefinition, nowText } from '../translate/emit-ddl';
import { splitObjectName } from '../translate/emit-from';
import { sqlErrors } from '../sql-error';
import { resolveDeclaredType } from './table-variables';

/** SQL Server numbers user-defined types from 257 (sys.types.user_type_id). */
const FIRST_USER_TYPE_ID = 257;

function typeName(ex: Executor, name: ObjectName): string {
  return splitObjectName(name, ex.session.database).object;
}

export async function runCreateType(ex: Executor, statement: Statement & { kind: 'createType' }): Promise<void> {
  const name = typeName(ex, statement.name);
  await ex.session.write(ex.signal, { kind: 'ddl', tables: [] }, () => {
    const catalog = ex.session.catalog();
    if (catalog.type(name)) throw sqlErrors.typeExists(`dbo.${name}`);
    const objectId = Math.max(FIRST_USER_TYPE_ID - 1, ...catalog.types().map((t) => t.objectId)) + 1;
    const definition: TypeDefinition = { kind: 'type', schema: 'dbo', name, objectId, createdAt: nowText(), nullable: statement.nullable ?? true };
    if (statement.table) {
      // Its table is an object of its own (sys.objects type TT).
      const table = buildTableDefinition(statement.table, ex.compiler(), nextObjectId(ex.session.db));
      // Table types allow PRIMARY KEY, UNIQUE, CHECK, DEFAULT and IDENTITY, never FOREIGN KEY.
      if (table.foreignKeys.length > 0) throw sqlErrors.incorrectSyntax('REFERENCES').at(statement.line);
      definition.table = table;
    } else {
      if (statement.base?.userType) throw sqlErrors.unknownType(statement.base.userType);
      definition.base = statement.base;
    }
    saveDefinition(ex.session.db, definition);
  });
}

export async function runDropType(ex: Executor, statement: Statement & { kind: 'drop' }): Promise<void> {
  await ex.session.write(ex.signal, { kind: 'ddl', tables: [] }, () => {
    for (const written of statement.names) {
      const name = typeName(ex, written);
      const catalog = ex.session.catalog();
      const found = catalog.type(name);
      if (!found) {
        if (statement.ifExists) continue;
        throw sqlErrors.typeNotFound(name);
      }
      const uses = (userType?: string) => userType !== undefined && userType.split('.').pop()!.toLowerCase() === name.toLowerCase();
      const user = catalog.all().find((o) => (o.kind === 'procedure' ? o.parameters.some((p) => uses(p.type.userType)) : o.columns.some((c) => uses(c.type.userType))));
      if (user) throw sqlErrors.typeInUse(written.parts.join('.'), user.name);
      deleteType(ex.session.db, found.name);
    }
  });
}

/** CREATE PROCEDURE's parameter checks (SQL Server makes them when the procedure is created). */
export function checkProcedureParameters(ex: Executor, parameters: ProcedureParameter[], body: Statement[]): ProcedureParameter[] {
  const readOnly = new Set<string>();
  const resolved: ProcedureParameter[] = [];
  for (const parameter of parameters) {
    const { type, tableType } = resolveDeclaredType(ex, parameter.type);
    // Alias types are kept as their base type (and name), as the catalog views show them.
    resolved.push({ ...parameter, type });
    if (tableType && !parameter.readonly) throw sqlErrors.tableParameterNeedsReadonly(parameter.name);
    if (!tableType && parameter.readonly) throw sqlErrors.readonlyNotTableParameter(parameter.name);
    if (tableType) readOnly.add(parameter.name.toLowerCase());
  }
  if (readOnly.size === 0) return resolved;
  const changed = changedTables(body).find((name) => readOnly.has(name.toLowerCase()));
  if (changed) throw sqlErrors.readOnlyTableParameter(changed);
  return resolved;
}

/** The single-part names INSERT, UPDATE, DELETE, MERGE and TRUNCATE write to, anywhere in a body. */
export function changedTables(statements: Statement[]): string[] {
  return statements.flatMap((statement): string[] => {
    switch (statement.kind) {
      case 'insert': return [lastPart(statement.table)];
      case 'update': case 'delete': case 'merge': return [lastPart(statement.target)];
      case 'truncate': return [lastPart(statement.table)];
      case 'if': return changedTables([statement.then, ...(statement.otherwise ? [statement.otherwise] : [])]);
      case 'while': return changedTables([statement.body]);
      case 'block': return changedTables(statement.body);
      case 'tryCatch': return changedTables([...statement.body, ...statement.handler]);
      default: return [];
    }
  });
}

function lastPart(name: ObjectName): string {
  return name.parts[name.parts.length - 1];
}
