/**
 * Stored procedures and the system procedures clients call: EXEC in T-SQL and RPC requests by
 * name; sp_executesql (how mssql sends parameterised queries); sp_prepare, sp_execute,
 * sp_prepexec and sp_unprepare (mssql's PreparedStatement). Parameters bind by name or position,
 * take their defaults, and OUTPUT values flow back as RETURNVALUE tokens or into variables.
 */
import type { ProcedureParameter, Statement } from '../ast';
import { Executor, ReturnSignal } from './executor';
import { parseBatch } from '../parser/parser';
import { parsedDefinition } from './parsed-definitions';
import { SqlError, sqlErrors } from '../sql-error';
import { convertValue } from '../../engine/convert';
import { formatType, INT, SqlType, StoredValue } from '../../sql-type';
import { tokenize } from '../lexer';
import { Cursor } from '../parser/cursor';
import { textOf } from '../../protocol/types/value-write';
import { tableCollations } from './bulk-metadata';
import { SYSTEM_PROCEDURES } from './system-procedures';
import { copyTableVariable, declareTableVariable, fillFromTvp, resolveDeclaredType } from './table-variables';
import type { TvpValue } from '../../protocol/types/tvp-read';
import type { TypeDefinition } from '../../engine/catalog';
import type { VariableSlot } from '../translate/context';

export interface CallArgument {
  /** Without '@'; undefined for positional arguments. */
  name?: string;
  value: StoredValue;
  type: SqlType | null;
  output: boolean;
  useDefault: boolean;
  /** A table-valued parameter's rows from the wire (null: the client sent no table). */
  table?: TvpValue | null;
  /** EXEC p @t: the table variable passed. */
  tableVariable?: VariableSlot;
}

export interface CallResult {
  returnStatus: number;
  /** OUTPUT values, by the index of the argument that asked for them. */
  outputs: Array<{ index: number; name: string; type: SqlType; value: StoredValue }>;
}


function parseDeclarations(text: string): ProcedureParameter[] {
  if (text.trim() === '') return [];
  const [statement] = parseBatch(`CREATE PROCEDURE __hcm_dynamic ${text} AS RETURN`);
  return statement.kind === 'createProcedure' ? statement.parameters : [];
}

/** 'dbo.MyProc', '[dbo].[MyProc]', 'MyProc;1' → MyProc (dbo is the only schema). */
function procedureName(name: string): string {
  const cleaned = name.replace(/;\d+$/, '');
  try {
    const parts = new Cursor(tokenize(cleaned), cleaned).objectName().parts;
    return parts[parts.length - 1];
  } catch {
    return cleaned;
  }
}

export async function callProcedure(ex: Executor, name: string, args: CallArgument[]): Promise<CallResult> {
  const plain = procedureName(name);
  switch (plain.toLowerCase()) {
    case 'sp_executesql': return executeSql(ex, args);
    case 'sp_prepare': return prepare(ex, args, false);
    case 'sp_prepexec': return prepare(ex, args, true);
    case 'sp_execute': return executePrepared(ex, args);
    case 'sp_unprepare':
      ex.session.prepared.delete(Number(args[0]?.value));
      return { returnStatus: 0, outputs: [] };
    case 'sp_tablecollations_100': return tableCollations(ex, args, '100');
    case 'sp_tablecollations_90': return tableCollations(ex, args, '90');
    case 'sp_tablecollations': return tableCollations(ex, args, '');
    case 'sp_reset_connection': case 'sp_getapplock': case 'sp_releaseapplock': case 'sp_set_session_context':
      return { returnStatus: 0, outputs: [] };
    default: break;
  }
  const system = SYSTEM_PROCEDURES[plain.toLowerCase()];
  if (system) {
    const inProc = ex.inProc;
    ex.inProc = true;
    try {
      return system(ex, args);
    } finally {
      ex.inProc = inProc;
    }
  }
  const definition = ex.session.procedure(plain);
  if (!definition) throw sqlErrors.procedureNotFound(name);
  const procedure = parsedDefinition(definition.source, 'createProcedure', 'a stored procedure definition');
  return runBody(ex, definition.name, procedure.parameters, procedure.body, args);
}

async function runBody(ex: Executor, name: string, parameters: ProcedureParameter[], body: Statement[], args: CallArgument[]): Promise<CallResult> {
  const session = ex.session;
  if (session.nestLevel >= 32) throw new SqlError(217, 'Maximum stored procedure, function, trigger, or view nesting level exceeded (limit 32).');
  const bound = bindArguments(name, parameters, args);
  session.variables.push();
  // SET options a procedure changes (NOCOUNT, XACT_ABORT, LOCK_TIMEOUT…) revert when it returns, as on SQL Server.
  const saved = { inProc: ex.inProc, procName: ex.procName, scopeIdentity: session.scopeIdentity, options: { ...session.options } };
  session.scopeIdentity = null;
  let returnStatus = 0;
  const outputs: CallResult['outputs'] = [];
  try {
    for (const { parameter, argument } of bound) {
      const { type: declared, tableType } = resolveDeclaredType(ex, parameter.type);
      if (tableType) {
        await bindTableParameter(ex, parameter.name, tableType, argument);
        continue;
      }
      let value: StoredValue = null;
      let type: SqlType | null = null;
      if (argument && !argument.useDefault) ({ value, type } = argument);
      else if (parameter.defaultValue) ({ value, type } = ex.evaluate(parameter.defaultValue));
      else if (!argument || argument.useDefault) throw sqlErrors.missingParameter(name, parameter.name);
      session.variables.declare(parameter.name, declared, convertValue(value, type, declared, undefined, false, session.dateSettings));
    }
    ex.inProc = true;
    ex.procName = name;
    session.nestLevel++;
    try {
      await ex.runStatements(body);
    } catch (error) {
      if (!(error instanceof ReturnSignal)) throw error;
      returnStatus = error.value;
    } finally {
      session.nestLevel--;
    }
    for (const { parameter, argument, index } of bound) {
      if (parameter.output && argument?.output) outputs.push({ index, name: parameter.name, type: session.variables.get(parameter.name)?.type ?? parameter.type, value: session.variables.get(parameter.name)?.value ?? null });
    }
  } finally {
    ex.inProc = saved.inProc;
    ex.procName = saved.procName;
    session.scopeIdentity = saved.scopeIdentity;
    session.options = saved.options;
    session.variables.pop();
  }
  return { returnStatus, outputs };
}

/**
 * A table-valued parameter: a READONLY table variable of the table type, filled from the TVP the
 * client sent or the table variable EXEC passed; left out, it is an empty table (SQL Server's
 * implicit default for TVPs).
 */
async function bindTableParameter(ex: Executor, name: string, tableType: TypeDefinition, argument: CallArgument | undefined): Promise<void> {
  const slot = await declareTableVariable(ex, name, { tableType });
  if (argument && !argument.useDefault) {
    if (argument.table) await fillFromTvp(ex, name, slot.table!, argument.table);
    else if (argument.tableVariable) await copyTableVariable(ex, argument.tableVariable, slot.table!, tableType);
    else if (argument.table === undefined && argument.value !== null) {
      throw new SqlError(206, `Operand type clash: ${argument.type ? formatType(argument.type) : 'varchar'} is incompatible with ${tableType.name}`);
    }
  }
  slot.readOnly = true;
}

function bindArguments(name: string, parameters: ProcedureParameter[], args: CallArgument[]): Array<{ parameter: ProcedureParameter; argument?: CallArgument; index: number }> {
  const bound = parameters.map((parameter) => ({ parameter, argument: undefined as CallArgument | undefined, index: -1 }));
  let named = false;
  args.forEach((argument, index) => {
    if (argument.name) {
      named = true;
      const slot = bound.find((b) => b.parameter.name.toLowerCase() === `@${argument.name!.replace(/^@/, '')}`.toLowerCase());
      if (!slot) throw sqlErrors.parameterNotFound(`@${argument.name.replace(/^@/, '')}`, name);
      Object.assign(slot, { argument, index });
    } else {
      if (named) throw new SqlError(119, `Must pass parameter number ${index + 1} and subsequent parameters as '@name = value'. After the form '@name = value' has been used, all subsequent parameters must be passed in the form '@name = value'.`, 15);
      if (index >= bound.length) throw sqlErrors.tooManyArguments(name);
      Object.assign(bound[index], { argument, index });
    }
  });
  for (const { parameter, argument } of bound) {
    if (argument?.output && !parameter.output) throw sqlErrors.notOutputParameter(parameter.name, name);
  }
  return bound;
}

function argumentText(args: CallArgument[], position: number, names: string[]): string | undefined {
  const named = args.find((a) => a.name && names.includes(a.name.replace(/^@/, '').toLowerCase()));
  const argument = named ?? (args[position] && !args[position].name ? args[position] : undefined);
  return argument && argument.value !== null ? textOf(argument.value) : undefined;
}

/** sp_executesql @stmt, @params, @p1 = …: the statement runs as a procedure with those parameters. */
async function executeSql(ex: Executor, args: CallArgument[]): Promise<CallResult> {
  const statementText = argumentText(args, 0, ['stmt', 'statement']);
  if (statementText === undefined) throw new SqlError(214, "Procedure expects parameter '@statement' of type 'ntext/nchar/nvarchar'.");
  const declarations = argumentText(args, 1, ['params']) ?? '';
  const values = args.filter((a, i) => i >= 2 || (a.name && !['stmt', 'statement', 'params'].includes(a.name.replace(/^@/, '').toLowerCase())));
  const statements = parseBatch(statementText);
  const result = await runBody(ex, 'sp_executesql', parseDeclarations(declarations), statements, values);
  return { returnStatus: result.returnStatus, outputs: result.outputs.map((o) => ({ ...o, index: o.index + args.length - values.length })) };
}

async function prepare(ex: Executor, args: CallArgument[], andExecute: boolean): Promise<CallResult> {
  const declarations = argumentText(args, 1, ['params']) ?? '';
  const statement = argumentText(args, 2, ['stmt']);
  if (statement === undefined) throw new SqlError(8180, 'Statement(s) could not be prepared.');
  parseBatch(statement);
  const handle = ex.session.nextHandle++;
  ex.session.prepared.set(handle, { declarations, statement });
  const outputs: CallResult['outputs'] = [{ index: 0, name: '@handle', type: INT, value: handle }];
  if (!andExecute) return { returnStatus: 0, outputs };
  const values = args.slice(3);
  const result = await runBody(ex, 'sp_prepexec', parseDeclarations(declarations), parseBatch(statement), values);
  return { returnStatus: result.returnStatus, outputs: [...outputs, ...result.outputs.map((o) => ({ ...o, index: o.index + 3 }))] };
}

async function executePrepared(ex: Executor, args: CallArgument[]): Promise<CallResult> {
  const handle = Number(args[0]?.value);
  const prepared = ex.session.prepared.get(handle);
  if (!prepared) throw new SqlError(8179, `Could not find prepared statement with handle ${handle}.`);
  const values = args.slice(1);
  const result = await runBody(ex, 'sp_execute', parseDeclarations(prepared.declarations), parseBatch(prepared.statement), values);
  return { returnStatus: result.returnStatus, outputs: result.outputs.map((o) => ({ ...o, index: o.index + 1 })) };
}

/** EXEC in T-SQL: arguments are evaluated here; OUTPUT values and the return status go to variables. */
export async function runExec(ex: Executor, statement: Statement & { kind: 'exec' }): Promise<void> {
  const args: CallArgument[] = statement.args.map((arg) => {
    if (arg.useDefault || !arg.expr) return { name: arg.name?.replace(/^@/, ''), value: null, type: null, output: false, useDefault: true };
    if (arg.output && arg.expr.kind !== 'variable') throw sqlErrors.incorrectSyntax('OUTPUT');
    const variable = arg.expr.kind === 'variable' ? ex.session.variables.get(arg.expr.name) : undefined;
    const tableVariable = variable?.table ? variable : undefined;
    if (tableVariable) return { name: arg.name?.replace(/^@/, ''), value: null, type: null, output: arg.output, useDefault: false, tableVariable };
    const { value, type } = ex.evaluate(arg.expr);
    return { name: arg.name?.replace(/^@/, ''), value, type, output: arg.output, useDefault: false };
  });
  const name = statement.procedure.parts.join('.');
  const result = await callProcedure(ex, name, args);
  for (const output of result.outputs) {
    const arg = statement.args[output.index];
    if (arg?.expr?.kind === 'variable') ex.assign(arg.expr.name, output.value, output.type);
  }
  if (statement.returnVariable) ex.assign(statement.returnVariable, result.returnStatus, INT);
  ex.sink.returnStatus(result.returnStatus);
}

/** EXEC ('…') / EXEC (@sql): dynamic SQL in its own variable scope. */
export async function runExecString(ex: Executor, statement: Statement & { kind: 'execString' }): Promise<void> {
  const { value } = ex.evaluate(statement.expr);
  const statements = parseBatch(value === null ? '' : textOf(value));
  ex.session.variables.push();
  try {
    await ex.runStatements(statements);
  } finally {
    ex.session.variables.pop();
  }
}
