/**
 * fast-check generators of malformed calls to the SQL connector, one per route, over the demo
 * database (hcm demo's Customers, Orders, Products, OrderLines and procedures). Each mixes the
 * kinds of bad input a hostile caller sends: encoding (bad percent-escapes, odd segments), body
 * (not JSON, truncated, corrupt gzip, wrong charset, deep nesting, wrong Content-Type), types
 * (strings for numbers, objects for scalars, huge numbers, impossible dates) and missing parameters.
 */
import zlib from 'node:zlib';
import fc from 'fast-check';
import type { RawRequest } from './chain-client';

const BAD_ESCAPES = ['%C0%AF', '%', '%Z', '%E0%A4%A', '%FF', '%00', '%C0%AE%C0%AE', '%ED%A0%80', '%F4%90%80%80', '%25%', '%%', '%u0041'];
const ODD_SEGMENTS = ['..', '.', "'x'", '(1)', 'Orders(1)', '1,2', '%27%20OR%201%3D1', '%2F', '%5C..%5C', 'dbo.', '[Orders]', '-1', '1e400'];
const TABLES = ['Orders', 'dbo.Orders', 'Customers', 'Products', 'OrderLines', 'Nope', 'sys.tables', 'INFORMATION_SCHEMA.TABLES'];
const COLUMNS = ['OrderId', 'CustomerId', 'OrderDate', 'Status', 'Total', 'Notes', 'TrackingId', 'Name', 'Email', 'City', 'Country', 'UnitPrice', 'InStock', 'Sku'];
const PROCEDURES = ['dbo.GetCustomerOrders', 'GetOrderDetails', 'dbo.PlaceOrder', 'dbo.SearchProducts', 'sp_who', 'xp_cmdshell'];
const PARAMETERS = ['CustomerId', '@CustomerId', 'OrderId', 'ProductId', 'Quantity', 'OrderCount', 'Search', 'customerid'];
const SQL_SNIPPETS = [
  'SELECT * FROM dbo.Orders', 'SELECT 1;', 'SELECT 1; DROP TABLE dbo.Orders', 'Id eq', '((((', "CustomerId = 1 -- x", '/* */', 'x'.repeat(300),
  'EXEC dbo.PlaceOrder', 'SELECT CAST(1 AS int', "SELECT N'", 'WAITFOR DELAY', 'CustomerId = 1;', 'Status LIKE', '1 = 1 OR', 'SELECT @x',
];

/** A path segment: encoded junk, a bad escape or an odd name. */
const segment = fc.oneof(
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.constantFrom(...BAD_ESCAPES),
  fc.constantFrom(...ODD_SEGMENTS),
  fc.constantFrom(...TABLES),
);

const queryValue = fc.oneof(
  fc.string({ maxLength: 24 }).map(encodeURIComponent),
  fc.constantFrom(...BAD_ESCAPES),
  fc.constantFrom(...SQL_SNIPPETS).map(encodeURIComponent),
  fc.constantFrom('-1', '0', '99999999999999999999', '1.5', 'abc', 'Status%20eq%20', "Status%20eq%20'New", 'OrderId%20desc,', 'substringof(', "contains(Notes,'", '1e400'),
);

const queryString = fc
  .array(fc.tuple(fc.constantFrom('$filter', '$top', '$skip', '$select', '$orderby', '$count', '$skiptoken', 'x', '%24top', '%ZZ'), queryValue), { maxLength: 4 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));

/** A value of the wrong type, size or shape for any column or parameter. */
const badValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('2024-13-45', '0001-01-01T00:00:00Z', 'not a number', '', ' ', '1e400', '9223372036854775808', 'NaN', 'x'.repeat(2000), '00000000-0000-0000-0000-00000000000G'),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 0.1, 2147483648, -2147483649),
  fc.constantFrom(true, false, null),
  fc.constantFrom([], {}, [1, 2], { a: 1 }),
);

const rowObject = fc.dictionary(fc.oneof(fc.constantFrom(...COLUMNS), fc.string({ maxLength: 10 })), badValue, { maxKeys: 5 });

interface Body {
  headers: Record<string, string>;
  body?: Buffer;
}

const json = (value: unknown, type = 'application/json'): Body => ({ headers: { 'content-type': type }, body: Buffer.from(JSON.stringify(value) ?? 'null') });

/** Any body: a JSON value of the given shape, or one of the malformed forms. */
function bodyOf(shape: fc.Arbitrary<unknown>): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 4, arbitrary: shape.map((value) => json(value)) },
    fc.jsonValue({ maxDepth: 3 }).map((value) => json(value)),
    shape.chain((value) => fc.nat(40).map((cut) => ({ headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(value) ?? '').subarray(0, cut) }))),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ headers: { 'content-type': 'application/json' }, body: Buffer.from(bytes) })),
    fc.constant<Body>({ headers: {} }),
    fc.constant<Body>({ headers: { 'content-type': 'application/json' }, body: Buffer.alloc(0) }),
    shape.chain((value) => fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/xml').map((type) => json(value, type))),
    shape.map((value) => {
      const gzip = zlib.gzipSync(Buffer.from(JSON.stringify(value) ?? 'null'));
      return { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzip.subarray(0, Math.max(1, gzip.length - 9)) };
    }),
    fc.constantFrom('x-lzma', 'deflate', 'br', 'gzip, gzip', 'identity;q=0').map((encoding) => ({ headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: Buffer.from('{"a":1}') })),
    fc.integer({ min: 500, max: 5000 }).map((depth) => ({ headers: { 'content-type': 'application/json' }, body: Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`) })),
  );
}

const request = (method: string, path: string, body: Body): RawRequest => ({ method, path, headers: body.headers, body: body.body });

const table = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TABLES) }, segment);

/** One generator per route of the connector. */
export const ROUTES: Record<string, fc.Arbitrary<RawRequest>> = {
  'GET /tables/{t}/items?…': fc.tuple(table, queryString).map(([t, q]) => ({ method: 'GET', path: `/tables/${t}/items${q}` })),
  '… /tables/{t}/items/{key}': fc
    .tuple(fc.constantFrom('GET', 'PATCH', 'PUT', 'DELETE'), table, segment, bodyOf(rowObject))
    .map(([method, t, key, body]) => request(method, `/tables/${t}/items/${key}`, method === 'GET' || method === 'DELETE' ? { headers: {} } : body)),
  'POST /tables/{t}/items': fc.tuple(table, bodyOf(fc.oneof(rowObject, fc.array(rowObject, { maxLength: 3 })))).map(([t, body]) => request('POST', `/tables/${t}/items`, body)),
  'POST /procedures/{p}': fc
    .tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PROCEDURES) }, segment), bodyOf(fc.dictionary(fc.constantFrom(...PARAMETERS), badValue, { maxKeys: 4 })))
    .map(([p, body]) => request('POST', `/procedures/${p}`, body)),
  'POST /query': bodyOf(fc.record({ query: fc.oneof(fc.constantFrom(...SQL_SNIPPETS), fc.string({ maxLength: 40 }), badValue), parameters: fc.oneof(badValue, fc.dictionary(fc.string({ maxLength: 6 }), badValue, { maxKeys: 3 })) }, { requiredKeys: [] }))
    .map((body) => request('POST', '/query', body)),
  'POST /tables/{t}/{select|insert|update|delete}': fc
    .tuple(table, fc.constantFrom('select', 'insert', 'update', 'delete'), bodyOf(fc.record({
      fields: fc.oneof(badValue, fc.constantFrom('OrderId,Status', '[Status]]', 'Nope', '*', 'OrderId,,')),
      whereClause: fc.oneof(badValue, fc.constantFrom(...SQL_SNIPPETS)),
      rows: fc.oneof(badValue, fc.array(rowObject, { maxLength: 2 })),
      set: fc.oneof(badValue, rowObject),
    }, { requiredKeys: [] })))
    .map(([t, action, body]) => request('POST', `/tables/${t}/${action}`, body)),
  'any method, any path': fc
    .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'), fc.array(segment, { minLength: 1, maxLength: 4 }), queryString, bodyOf(rowObject))
    .map(([method, segments, q, body]) => request(method, `/${segments.join('/')}${q}`, method === 'GET' || method === 'HEAD' ? { headers: {} } : body)),
};
