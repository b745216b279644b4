/** Catalog fixtures for the connector's unit tests (pure parts only; no database). */
import { ColumnInfo, ProcedureInfo, TableInfo } from '../../../src/connectors/sql/catalog/model';
import { ParameterBag } from '../../../src/connectors/sql/db/parameters';

export function column(name: string, dataType: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return { name, dataType, maxLength: null, precision: null, scale: null, nullable: true, identity: false, computed: false, hasDefault: false, ...extra };
}

export const orders: TableInfo = {
  schema: 'dbo',
  name: 'Orders',
  kind: 'table',
  primaryKey: ['Id'],
  columns: [
    column('Id', 'int', { nullable: false, identity: true }),
    column('CustomerName', 'nvarchar', { maxLength: 100 }),
    column('Total', 'decimal', { precision: 18, scale: 2 }),
    column('Big', 'bigint'),
    column('Placed', 'datetime2', { scale: 7 }),
    column('PlacedAt', 'datetimeoffset', { scale: 7 }),
    column('Shipped', 'bit'),
    column('Ref', 'uniqueidentifier'),
    column('Weight', 'float'),
    column('Notes', 'ntext'),
    column('Version', 'timestamp', { nullable: false }),
    column('Order Date', 'date'),
  ],
};

export const orderLines: TableInfo = {
  schema: 'sales',
  name: 'OrderLines',
  kind: 'table',
  primaryKey: ['OrderId', 'LineNo'],
  columns: [column('OrderId', 'int', { nullable: false }), column('LineNo', 'int', { nullable: false }), column('Sku', 'varchar', { maxLength: 20 })],
};

export const secret: TableInfo = {
  schema: 'dbo',
  name: 'Secret',
  kind: 'table',
  primaryKey: ['Id'],
  columns: [column('Id', 'int', { nullable: false })],
};

export const heap: TableInfo = {
  schema: 'dbo',
  name: 'Log',
  kind: 'table',
  primaryKey: [],
  columns: [column('At', 'datetime2', { scale: 7 }), column('Message', 'nvarchar', { maxLength: -1 }), column('Blob', 'xml')],
};

export const getOrders: ProcedureInfo = {
  schema: 'dbo',
  name: 'GetOrders',
  parameters: [
    { name: 'CustomerName', dataType: 'nvarchar', maxLength: 100, precision: null, scale: null, direction: 'in' },
    { name: 'Count', dataType: 'int', maxLength: null, precision: null, scale: null, direction: 'inout' },
  ],
};

/** The parameters of a bag as name → value, for assertions. */
export function parameterValues(bag: ParameterBag): Record<string, unknown> {
  return Object.fromEntries(bag.parameters.map((p) => [p.name, p.value]));
}

/**
 * True when `sqlText` is made only of the connector's own vocabulary: bracketed names of the given
 * columns, @pN placeholders, CASTs to known types, SQL keywords and operators. Anything a caller
 * could have spliced in (a quote, a semicolon, another word) makes it false.
 */
export function onlyGeneratedTokens(sqlText: string, columns: string[]): boolean {
  let rest = sqlText;
  for (const name of columns) rest = rest.split(`[${name.replace(/]/g, ']]')}]`).join(' ');
  rest = rest
    .replace(/CAST\(@p\d+ AS (decimal\(38,\d+\)|datetime2\(7\)|datetimeoffset\(7\)|time\(7\)|date|datetime|smalldatetime|timestamp)\)/g, ' ')
    .replace(/@p\d+/g, ' ')
    .replace(/ESCAPE '\\'/g, ' ')
    .replace(/\b(AND|OR|NOT|IS|NULL|LIKE)\b/g, ' ')
    .replace(/(<>|<=|>=|=|<|>|\(|\))/g, ' ')
    .replace(/\b1 = 0\b/g, ' ');
  return rest.trim() === '';
}
