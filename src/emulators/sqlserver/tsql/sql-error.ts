/**
 * SQL Server's errors as the stand-in raises them: number, severity, state and SQL Server's own
 * message text, so clients (and the connector's error mapping) see what a real server says.
 * `scope` says what the error ends: the statement (constraint violations — the batch goes on),
 * the batch (most other errors) or, for syntax errors, the batch before anything ran.
 */

export type ErrorScope = 'statement' | 'batch';

export class SqlError extends Error {
  lineNumber = 1;
  procName = '';
  /** True once a position was attached; errors found while running get their statement's line. */
  located = false;
  /** Messages SQL Server sends right after this one (1911 is followed by 1750, say). */
  followedBy: SqlError[] = [];

  constructor(
    readonly number: number,
    message: string,
    readonly severity = 16,
    readonly state = 1,
    readonly scope: ErrorScope = 'batch',
  ) {
    super(message);
    this.name = 'SqlError';
  }

  at(line: number, procName = ''): this {
    this.lineNumber = line;
    this.procName = procName;
    this.located = true;
    for (const next of this.followedBy) next.at(line, procName);
    return this;
  }

  followWith(next: SqlError): this {
    this.followedBy.push(next);
    return this;
  }
}

export function isSqlError(error: unknown): error is SqlError {
  return error instanceof SqlError;
}

/** How error 8117 names an arithmetic operator. */
const OPERATOR_NAMES: Record<string, string> = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'modulo', '&': 'boolean AND', '|': 'boolean OR', '^': 'boolean XOR' };

/** The errors the stand-in raises, one named constructor each, with SQL Server's text. */
export const sqlErrors = {
  incorrectSyntax: (near: string) => new SqlError(102, `Incorrect syntax near '${near}'.`, 15),
  incorrectSyntaxAtEnd: () => new SqlError(102, 'Incorrect syntax near the end of the batch.', 15),
  mergeNeedsSemicolon: () => new SqlError(10713, 'A MERGE statement must be terminated by a semi-colon (;).', 15),
  mustBeFirstInBatch: (what: string) => new SqlError(111, `'${what}' must be the first statement in a query batch.`, 15),
  unclosedQuote: (text: string) => new SqlError(105, `Unclosed quotation mark after the character string '${text}'.`, 15),
  missingEndComment: () => new SqlError(113, "Missing end comment mark '*/'.", 15),
  mustDeclareVariable: (name: string) => new SqlError(137, `Must declare the scalar variable "${name}".`, 15, 2),
  variableAlreadyDeclared: (name: string) => new SqlError(134, `The variable name '${name}' has already been declared. Variable names must be unique within a query batch or stored procedure.`, 15),
  variantOperand: (op: string) => new SqlError(8117, `Operand data type sql_variant is invalid for ${OPERATOR_NAMES[op] ?? op} operator.`, 16, 1),
  implicitFromVariant: (to: string) => new SqlError(257, `Implicit conversion from data type sql_variant to ${to} is not allowed. Use the CONVERT function to run this query.`, 16, 3),
  operandTypeClash: (from: string, to: string) => new SqlError(206, `Operand type clash: ${from} is incompatible with ${to}`, 16, 2),
  invalidObjectName: (name: string) => new SqlError(208, `Invalid object name '${name}'.`),
  invalidColumnName: (name: string) => new SqlError(207, `Invalid column name '${name}'.`),
  ambiguousColumnName: (name: string) => new SqlError(209, `Ambiguous column name '${name}'.`),
  multiPartNotBound: (name: string) => new SqlError(4104, `The multi-part identifier "${name}" could not be bound.`),
  unknownFunction: (name: string) => new SqlError(195, `'${name}' is not a recognized built-in function name.`, 15, 10),
  unknownType: (name: string) => new SqlError(2715, `Column, parameter, or variable #1: Cannot find data type ${name}.`, 16, 6),
  procedureNotFound: (name: string) => new SqlError(2812, `Could not find stored procedure '${name}'.`, 16, 62),
  objectExists: (name: string) => new SqlError(2714, `There is already an object named '${name}' in the database.`, 16, 6),
  cannotDrop: (kind: string, name: string) => new SqlError(3701, `Cannot drop the ${kind} '${name}', because it does not exist or you do not have permission.`, 11, 5),
  dropReferenced: (name: string, constraint: string) => new SqlError(3726, `Could not drop object '${name}' because it is referenced by a FOREIGN KEY constraint '${constraint}'.`),
  duplicateKey: (kind: 'PRIMARY KEY' | 'UNIQUE KEY', constraint: string, table: string, value: string) =>
    new SqlError(2627, `Violation of ${kind} constraint '${constraint}'. Cannot insert duplicate key in object '${table}'. The duplicate key value is (${value}).`, 14, 1, 'statement'),
  duplicateKeyRow: (table: string, index: string, value: string) =>
    new SqlError(2601, `Cannot insert duplicate key row in object '${table}' with unique index '${index}'. The duplicate key value is (${value}).`, 14, 1, 'statement'),
  constraintConflict: (statement: string, kind: string, constraint: string, database: string, table: string, column?: string) =>
    new SqlError(547, `The ${statement} statement conflicted with the ${kind} constraint "${constraint}". The conflict occurred in database "${database}", table "${table}"${column ? `, column '${column}'` : ''}.`, 16, 0, 'statement'),
  nullNotAllowed: (column: string, table: string, statement: string) =>
    new SqlError(515, `Cannot insert the value NULL into column '${column}', table '${table}'; column does not allow nulls. ${statement} fails.`, 16, 2, 'statement'),
  truncation: (table: string, column: string, value: string) =>
    new SqlError(2628, `String or binary data would be truncated in table '${table}', column '${column}'. Truncated value: '${value}'.`, 16, 1, 'statement'),
  identityInsertOff: (table: string) =>
    new SqlError(544, `Cannot insert explicit value for identity column in table '${table}' when IDENTITY_INSERT is set to OFF.`, 16, 1, 'statement'),
  identityUpdate: (column: string) => new SqlError(8102, `Cannot update identity column '${column}'.`),
  rowversionInsert: () => new SqlError(273, 'Cannot insert an explicit value into a timestamp column. Use INSERT with a column list to exclude the timestamp column, or insert a DEFAULT into the timestamp column.', 16, 1, 'statement'),
  columnCountMismatch: () => new SqlError(110, 'There are fewer columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.', 15),
  valueCountMismatch: () => new SqlError(109, 'There are more columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.', 15),
  insertColumnsMismatch: () => new SqlError(213, 'Column name or number of supplied values does not match table definition.'),
  // The statement is cancelled; its transaction and the batch go on (SQL Server's "Customizing the Lock Time-Out").
  lockTimeout: () => new SqlError(1222, 'Lock request time out period exceeded.', 16, 51, 'statement'),
  conversionFailed: (fromType: string, value: string, toType: string) =>
    new SqlError(245, `Conversion failed when converting the ${fromType} value '${value}' to data type ${toType}.`),
  conversionError: (fromType: string, toType: string) => new SqlError(8114, `Error converting data type ${fromType} to ${toType}.`),
  dateConversion: () => new SqlError(241, 'Conversion failed when converting date and/or time from character string.'),
  guidConversion: () => new SqlError(8169, 'Conversion failed when converting from a character string to uniqueidentifier.'),
  arithmeticOverflow: (type: string) => new SqlError(8115, `Arithmetic overflow error converting expression to data type ${type}.`),
  numericOverflow: (from: string, to: string) => new SqlError(8115, `Arithmetic overflow error converting ${from} to data type ${to}.`),
  divideByZero: () => new SqlError(8134, 'Divide by zero error encountered.'),
  commitWithoutBegin: () => new SqlError(3902, 'The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.'),
  rollbackWithoutBegin: () => new SqlError(3903, 'The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.'),
  noSavepoint: (name: string) => new SqlError(6401, `Cannot roll back ${name}. No transaction or savepoint of that name was found.`),
  transactionCountMismatch: (before: number, after: number) =>
    new SqlError(266, `Transaction count after EXECUTE indicates a mismatching number of BEGIN and COMMIT statements. Previous count = ${before}, current count = ${after}.`),
  databaseNotFound: (name: string) => new SqlError(911, `Database '${name}' does not exist. Make sure that the name is entered correctly.`),
  cannotOpenDatabase: (name: string) => new SqlError(4060, `Cannot open database "${name}" requested by the login. The login failed.`, 11),
  loginFailed: (user: string) => new SqlError(18456, `Login failed for user '${user}'.`, 14),
  tooManyArguments: (procedure: string) => new SqlError(8144, `Procedure or function ${procedure} has too many arguments specified.`),
  missingParameter: (procedure: string, parameter: string) =>
    new SqlError(201, `Procedure or function '${procedure}' expects parameter '${parameter}', which was not supplied.`, 16, 4),
  notOutputParameter: (parameter: string, _procedure: string) =>
    new SqlError(8162, `The formal parameter "${parameter}" was not declared as an OUTPUT parameter, but the actual parameter passed in requested output.`),
  parameterNotFound: (parameter: string, procedure: string) =>
    new SqlError(8145, `${parameter} is not a parameter for procedure ${procedure}.`),
  orderByInView: () => new SqlError(1033, 'The ORDER BY clause is invalid in views, inline functions, derived tables, subqueries, and common table expressions, unless TOP, OFFSET or FOR XML is also specified.', 15),
  subqueryMultipleRows: () => new SqlError(512, 'Subquery returned more than 1 value. This is not permitted when the subquery follows =, !=, <, <= , >, >= or when the subquery is used as an expression.'),
  userError: (number: number, message: string, state: number) => new SqlError(number, message, 16, state),
  mustDeclareTableVariable: (name: string) => new SqlError(1087, `Must declare the table variable "${name}".`, 15, 2),
  readOnlyTableParameter: (name: string) => new SqlError(10700, `The table-valued parameter "${name}" is READONLY and cannot be modified.`),
  tableParameterNeedsReadonly: (name: string) => new SqlError(352, `The table-valued parameter "${name}" must be declared with the READONLY option.`, 15),
  readonlyNotTableParameter: (name: string) => new SqlError(346, `The parameter "${name}" can not be declared READONLY since it is not a table-valued parameter.`, 15),
  tvpColumnCount: (sent: number, required: number) =>
    new SqlError(500, `Trying to pass a table-valued parameter with ${sent} column(s) where the corresponding user-defined table type requires ${required} column(s).`),
  identityIntoTableVariable: () => new SqlError(1077, 'INSERT into an identity column not allowed on table variables.'),
  typeExists: (name: string) => new SqlError(219, `The type '${name}' already exists, or you do not have permission to create it.`),
  typeNotFound: (name: string) => new SqlError(218, `Cannot find the type '${name}', because it does not exist or you do not have permission.`),
  typeInUse: (type: string, object: string) =>
    new SqlError(3732, `Cannot drop type '${type}' because it is being referenced by object '${object}'. There may be other objects that reference this type.`),
  notSupported: (what: string) => new SqlError(40517, `The SQL Server stand-in does not support ${what}.`, 16, 1),
  internal: (detail: string) => new SqlError(50_000, `The SQL Server stand-in failed: ${detail}`, 16, 1),
};
