/** JSON schemas for rows and parameters, matching what the connector sends (row-format.ts). */
import { valueFamily } from '../catalog/bind-value';
import { ColumnInfo, TableInfo, isWritable } from '../catalog/model';

export type Schema = Record<string, unknown>;

export function valueSchema(column: Pick<ColumnInfo, 'dataType' | 'maxLength' | 'precision' | 'scale'>): Schema {
  const type = column.dataType.toLowerCase();
  switch (valueFamily(column)) {
    case 'string':
      return column.maxLength !== null && column.maxLength > 0 ? { type: 'string', maxLength: column.maxLength } : { type: 'string' };
    case 'integer':
      return { type: 'integer', format: 'int32' };
    case 'bigint':
      return { type: 'string', format: 'int64', pattern: '^-?[0-9]+$', description: 'bigint, as an exact decimal string' };
    case 'bit':
      return { type: 'boolean' };
    case 'exact':
      return { type: 'string', format: 'decimal', pattern: '^-?[0-9]+(\\.[0-9]+)?$', description: `${type}, as an exact decimal string` };
    case 'float':
      return { type: 'number', format: type === 'real' ? 'float' : 'double' };
    case 'temporal':
      if (type === 'date') return { type: 'string', format: 'date' };
      if (type === 'datetimeoffset') return { type: 'string', format: 'date-time' };
      if (type === 'time') return { type: 'string', description: 'time of day, hh:mm:ss[.fffffff]' };
      return { type: 'string', description: `${type}, ISO 8601 without a time zone: yyyy-mm-ddThh:mm:ss[.fffffff]` };
    case 'guid':
      return { type: 'string', format: 'uuid' };
    case 'binary':
      return { type: 'string', format: 'byte', description: `${type}, base64` };
    default:
      return { description: `${type} (sent as the driver gives it)` };
  }
}

export function rowSchema(table: TableInfo, nullableKeyword: 'nullable' | 'x-nullable' = 'nullable'): Schema {
  const properties: Record<string, Schema> = {};
  for (const column of table.columns) {
    const schema = valueSchema(column);
    if (column.nullable) schema[nullableKeyword] = true;
    if (!isWritable(column)) schema.readOnly = true;
    properties[column.name] = schema;
  }
  const required = table.columns.filter((c) => !c.nullable && isWritable(c) && !c.hasDefault).map((c) => c.name);
  return { type: 'object', properties, ...(required.length > 0 ? { 'x-required-on-insert': required } : {}) };
}

/** A name usable in component keys and operationIds. */
export function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, '_');
}
