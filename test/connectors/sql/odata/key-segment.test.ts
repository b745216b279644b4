/** Key segments: single and composite keys, quoting, and injection attempts (always parameters). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HcmError } from '../../../../src/common/errors';
import { ParameterBag } from '../../../../src/connectors/sql/db/parameters';
import { formatKey, keyCondition, parseKeySegment } from '../../../../src/connectors/sql/odata/key-segment';
import { column, heap, orderLines, orders, parameterValues } from '../fixtures';

const customers = { schema: 'dbo', name: 'Customers', kind: 'table' as const, primaryKey: ['Code'], columns: [column('Code', 'nvarchar', { maxLength: 10, nullable: false })] };

function condition(segment: string, table = orders) {
  const bag = new ParameterBag();
  return { sql: keyCondition(parseKeySegment(segment, table), bag), values: parameterValues(bag) };
}

describe('key segments', () => {
  it('reads a single value, a quoted value and Name=value for one-column keys', () => {
    assert.deepEqual(condition('42'), { sql: '[Id] = @p0', values: { p0: 42 } });
    assert.deepEqual(condition('Id=42'), { sql: '[Id] = @p0', values: { p0: 42 } });
    assert.deepEqual(condition("'ALF''KI'", customers).values, { p0: "ALF'KI" });
    assert.deepEqual(condition('ALFKI', customers).values, { p0: 'ALFKI' });
  });

  it('reads composite keys in any order, with quoted values holding commas', () => {
    assert.deepEqual(condition('LineNo=2,OrderId=1', orderLines), { sql: '[LineNo] = @p0 AND [OrderId] = @p1', values: { p0: 2, p1: 1 } });
    assert.equal(formatKey(parseKeySegment('OrderId=1,LineNo=2', orderLines)), 'OrderId=1,LineNo=2');
  });

  it('keeps injection attempts in a text key as a parameter value', () => {
    const { sql, values } = condition("'x'' OR ''1''=''1'", customers);
    assert.equal(sql, '[Code] = @p0');
    assert.equal(values.p0, "x' OR '1'='1");
  });

  it('refuses malformed, incomplete or foreign keys', () => {
    const bad = (segment: string, table = orders, code = 'InvalidQueryOption') =>
      assert.throws(() => condition(segment, table), (e: unknown) => e instanceof HcmError && e.code === code, segment);
    bad('1 OR 1=1');
    bad("1'; DROP TABLE Orders --");
    bad('OrderId=1', orderLines);
    bad('OrderId=1,LineNo=2,OrderId=3', orderLines);
    bad('OrderId=1,Sku=2', orderLines);
    bad('Nope=1,LineNo=2', orderLines, 'ColumnNotFound');
    bad("'unclosed", customers);
    bad('1', heap);
    bad('');
  });
});
