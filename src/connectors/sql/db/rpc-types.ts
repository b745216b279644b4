/**
 * Typed parameters for calls where the connector cannot wrap a value in CAST: stored-procedure
 * RPCs and /query parameters. Exact numbers and dates travel as text (NVARCHAR), which SQL Server
 * converts to the declared type without the rounding the driver's decimal type would bring; output
 * parameters are declared with their real type so the value comes back as SQL Server sends it.
 */
import sql from 'mssql';
import { valueFamily } from '../catalog/bind-value';
import { sqlErrors } from '../errors';
import { SqlType } from './parameters';

export interface TypeSpec {
  dataType: string;
  maxLength: number | null;
  precision: number | null;
  scale: number | null;
}

const length = (n: number | null, max: number) => (n === null || n === -1 || n > max ? sql.MAX : n);

/** The declared type, as an output parameter needs it. */
export function declaredSqlType(spec: TypeSpec): SqlType {
  const t = spec.dataType.toLowerCase();
  switch (t) {
    case 'tinyint': return sql.TinyInt;
    case 'smallint': return sql.SmallInt;
    case 'int': return sql.Int;
    case 'bigint': return sql.BigInt;
    case 'bit': return sql.Bit;
    case 'float': return sql.Float;
    case 'real': return sql.Real;
    case 'decimal': case 'numeric': return sql.Decimal(spec.precision ?? 18, spec.scale ?? 0);
    case 'money': return sql.Money;
    case 'smallmoney': return sql.SmallMoney;
    case 'date': return sql.Date;
    case 'time': return sql.Time(spec.scale ?? 7);
    case 'datetime': return sql.DateTime;
    case 'smalldatetime': return sql.SmallDateTime;
    case 'datetime2': return sql.DateTime2(spec.scale ?? 7);
    case 'datetimeoffset': return sql.DateTimeOffset(spec.scale ?? 7);
    case 'uniqueidentifier': return sql.UniqueIdentifier;
    case 'char': return sql.Char(length(spec.maxLength, 8000) as number);
    case 'varchar': return sql.VarChar(length(spec.maxLength, 8000));
    case 'nchar': return sql.NChar(length(spec.maxLength, 4000) as number);
    case 'nvarchar': case 'sysname': return sql.NVarChar(length(spec.maxLength, 4000));
    case 'binary': return (sql.Binary as unknown as (n: number) => sql.ISqlType)(length(spec.maxLength, 8000) as number);
    case 'varbinary': return sql.VarBinary(length(spec.maxLength, 8000));
    case 'xml': return sql.Xml;
    case 'text': return sql.Text;
    case 'ntext': return sql.NText;
    default: throw sqlErrors.badBody(`Parameters of type ${spec.dataType} are not supported.`);
  }
}

/** The type and value to send for an input value of a parameter declared as `spec`. */
export function inputParameter(spec: TypeSpec, value: unknown, name: string): { type: SqlType; value: unknown } {
  const bad = (expected: string) => sqlErrors.badBody(`Parameter '${name}' (${spec.dataType}) needs ${expected}.`);
  if (value === null || value === undefined) return { type: declaredSqlType(spec), value: null };
  if (typeof value === 'object') throw bad('a single value');
  switch (valueFamily(spec)) {
    case 'string':
      return { type: sql.NVarChar(String(value).length > 4000 ? sql.MAX : 4000), value: String(value) };
    case 'integer':
    case 'bigint':
    case 'exact':
    case 'temporal':
      // Sent as text; SQL Server converts it to the declared type exactly (and reports a bad value itself).
      if (typeof value === 'boolean') throw bad('a number or text');
      return { type: sql.NVarChar(100), value: String(value) };
    case 'bit':
      if (typeof value !== 'boolean' && value !== 0 && value !== 1) throw bad('true or false');
      return { type: sql.Bit, value: value === true || value === 1 };
    case 'float':
      if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))) throw bad('a number');
      return { type: sql.Float, value: Number(value) };
    case 'guid':
      return { type: sql.UniqueIdentifier, value: String(value) };
    case 'binary':
      if (typeof value !== 'string') throw bad('base64 text');
      return { type: sql.VarBinary(sql.MAX), value: Buffer.from(value, 'base64') };
    default:
      throw bad('a supported type');
  }
}

/** /query parameters: the type follows the JSON value, or an explicit {"type","value"}. */
export function queryParameter(name: string, given: unknown): { type: SqlType; value: unknown } {
  if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
    const { type, value } = given as { type?: unknown; value?: unknown };
    if (typeof type !== 'string') throw sqlErrors.badBody(`Parameter '${name}': give {"type":"int","value":…} or a plain value.`);
    const match = /^([a-z0-9]+)(?:\((max|\d+)(?:,\s*(\d+))?\))?$/i.exec(type.trim());
    if (!match) throw sqlErrors.badBody(`Parameter '${name}': cannot read the type '${type.slice(0, 32)}'.`);
    const size = match[2] === undefined ? null : match[2].toLowerCase() === 'max' ? -1 : Number(match[2]);
    const spec: TypeSpec = { dataType: match[1].toLowerCase(), maxLength: size, precision: size, scale: match[3] === undefined ? null : Number(match[3]) };
    return inputParameter(spec, value, name);
  }
  if (given === null) return { type: sql.NVarChar(4000), value: null };
  if (typeof given === 'string') return { type: sql.NVarChar(given.length > 4000 ? sql.MAX : 4000), value: given };
  if (typeof given === 'boolean') return { type: sql.Bit, value: given };
  if (typeof given === 'number' && Number.isInteger(given)) {
    return Math.abs(given) <= 2_147_483_647 ? { type: sql.Int, value: given } : { type: sql.BigInt, value: String(given) };
  }
  if (typeof given === 'number' && Number.isFinite(given)) return { type: sql.Float, value: given };
  throw sqlErrors.badBody(`Parameter '${name}' must be a string, number, boolean, null or {"type","value"}.`);
}
