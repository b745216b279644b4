/** Values in and out: typed parameters by column type, exact output formats, identifiers and allow-lists. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HcmError } from '../../../../src/common/errors';
import { allowedObjects, resolveObject } from '../../../../src/connectors/sql/catalog/allow-list';
import { bindColumnValue } from '../../../../src/connectors/sql/catalog/bind-value';
import { quoteIdentifier, quoteQualified, splitObjectName } from '../../../../src/connectors/sql/catalog/identifiers';
import { declaredType } from '../../../../src/connectors/sql/catalog/model';
import { formatColumnValue, isoOffset, selectItem } from '../../../../src/connectors/sql/catalog/row-format';
import { ParameterBag } from '../../../../src/connectors/sql/db/parameters';
import { column, orders, secret } from '../fixtures';

const fail = (message: string) => new HcmError('BadRequest', message);

function bind(dataType: string, value: unknown, extra = {}) {
  const bag = new ParameterBag();
  const sql = bindColumnValue(bag, column('C', dataType, extra), value, fail);
  return { sql, value: bag.parameters[0]?.value, type: bag.parameters[0]?.type };
}

describe('binding values by column type', () => {
  it('gives integers, bits, floats and GUIDs driver types, and NULL as the literal NULL', () => {
    assert.deepEqual([bind('int', '42').value, bind('tinyint', 255).value, bind('bit', 'true').value, bind('float', '1.5').value], [42, 255, true, 1.5]);
    assert.equal(bind('uniqueidentifier', '{0F8FAD5B-D9CB-469F-A165-70867728950E}').value, '0F8FAD5B-D9CB-469F-A165-70867728950E');
    assert.equal(bind('int', null).sql, 'NULL');
  });

  it('sends exact numbers, bigints and temporal values as text, never through a JavaScript number', () => {
    assert.deepEqual(bind('decimal', '123456789012345678901234567.1234567891'), { ...bind('decimal', '123456789012345678901234567.1234567891'), sql: 'CAST(@p0 AS decimal(38,10))', value: '123456789012345678901234567.1234567891' });
    assert.equal(bind('money', 12.5).sql, 'CAST(@p0 AS decimal(38,1))');
    assert.equal(bind('bigint', '-9223372036854775808').value, '-9223372036854775808');
    assert.equal(bind('datetimeoffset', '2024-01-02T03:04:05.1234567+02:00').sql, 'CAST(@p0 AS datetimeoffset(7))');
    assert.equal(bind('date', '2024-01-02').sql, 'CAST(@p0 AS date)');
  });

  it('reads binary as base64 or 0x hex', () => {
    assert.deepEqual(bind('varbinary', 'AQID').value, Buffer.from([1, 2, 3]));
    assert.deepEqual(bind('timestamp', '0x00000000000007D1'), { ...bind('timestamp', '0x00000000000007D1'), sql: 'CAST(@p0 AS timestamp)', value: Buffer.from('00000000000007D1', 'hex') });
  });

  it('refuses values that do not fit the column, naming the column', () => {
    for (const [type, value] of [['int', 'x'], ['int', 2 ** 31], ['tinyint', -1], ['bigint', '9223372036854775808'], ['bit', 2], ['decimal', '1e5'],
      ['decimal', '1'.repeat(39)], ['float', 'NaN'], ['date', "2024-01-01'; --"], ['uniqueidentifier', 'x'], ['varbinary', '***'], ['nvarchar', true], ['geography', 'POINT(1 1)']] as Array<[string, unknown]>) {
      assert.throws(() => bind(type, value), (e: unknown) => e instanceof HcmError && /'C'/.test(e.message), `${type} ${String(value)}`);
    }
  });
});

describe('row output', () => {
  it('converts exact types in the generated SELECT, aliased to the column name', () => {
    assert.equal(selectItem(column('Total', 'decimal')), 'CAST([Total] AS varchar(50)) AS [Total]');
    assert.equal(selectItem(column('M', 'money'), 'INSERTED.'), 'CAST(CAST(INSERTED.[M] AS decimal(19,4)) AS varchar(50)) AS [M]');
    assert.equal(selectItem(column('At', 'datetimeoffset')), 'CAST([At] AS varchar(40)) AS [At]');
    assert.equal(selectItem(column('Id', 'int')), '[Id]');
    assert.equal(selectItem(column('a]b', 'int'), 'INSERTED.'), 'INSERTED.[a]]b] AS [a]]b]');
  });

  it('formats dates without an invented zone, keeps sub-millisecond digits, and datetimeoffset\'s offset', () => {
    const date = Object.assign(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 123)), { nanosecondsDelta: 0.0004567 });
    assert.equal(formatColumnValue(column('x', 'datetime2'), date), '2024-01-02T03:04:05.1234567');
    assert.equal(formatColumnValue(column('x', 'date'), new Date(Date.UTC(2024, 0, 2))), '2024-01-02');
    assert.equal(formatColumnValue(column('x', 'time'), new Date(Date.UTC(1970, 0, 1, 13, 0, 0))), '13:00:00');
    assert.equal(formatColumnValue(column('x', 'datetimeoffset'), '2024-01-02 03:04:05.1234567 +02:00'), '2024-01-02T03:04:05.1234567+02:00');
    assert.equal(isoOffset('2024-01-02 03:04:05.0000000 -05:30'), '2024-01-02T03:04:05-05:30');
    assert.equal(formatColumnValue(column('x', 'varbinary'), Buffer.from([255])), '/w==');
    assert.equal(formatColumnValue(column('x', 'bigint'), 5), '5');
  });

  it('writes declared types as SQL Server spells them', () => {
    assert.deepEqual(orders.columns.slice(1, 3).map(declaredType), ['nvarchar(100)', 'decimal(18,2)']);
    assert.equal(declaredType(column('x', 'varchar', { maxLength: -1 })), 'varchar(max)');
  });
});

describe('identifiers and allow-lists', () => {
  it('bracket-quotes names, doubling closing brackets', () => {
    assert.equal(quoteIdentifier('Order]; DROP TABLE x; --'), '[Order]]; DROP TABLE x; --]');
    assert.equal(quoteQualified({ schema: 'dbo', name: 'Orders' }), '[dbo].[Orders]');
    assert.throws(() => quoteIdentifier(''));
  });

  it('splits one- and two-part names, with or without brackets', () => {
    assert.deepEqual(splitObjectName('dbo.Orders'), { schema: 'dbo', name: 'Orders' });
    assert.deepEqual(splitObjectName('[my.schema].[Order Lines]'), { schema: 'my.schema', name: 'Order Lines' });
    assert.deepEqual(splitObjectName('Orders'), { name: 'Orders' });
    for (const bad of ['a.b.c', 'a.', '.a', '[a', 'a]b', '']) assert.equal(splitObjectName(bad), undefined, bad);
  });

  it('admits all tables when the list is empty (2015), none of the procedures, and resolves names case-insensitively', () => {
    const other = { ...orders, schema: 'archive' };
    assert.equal(allowedObjects([orders, secret], [], true).length, 2);
    assert.equal(allowedObjects([orders, secret], [], false).length, 0);
    assert.deepEqual(allowedObjects([orders, secret, other], ['ORDERS'], true).map((t) => t.schema), ['dbo', 'archive']);
    assert.equal(resolveObject([orders, other], 'orders'), orders);
    assert.equal(resolveObject([orders, other], 'archive.orders'), other);
    assert.equal(resolveObject([orders], 'Secret'), undefined);
    assert.equal(resolveObject([orders], 'dbo.Orders; DROP TABLE x'), undefined);
  });
});
