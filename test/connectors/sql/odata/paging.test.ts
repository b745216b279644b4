/** Keyset paging: total order, the "after" condition, and the opaque $skiptoken (forged ones refused). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HcmError } from '../../../../src/common/errors';
import { ParameterBag } from '../../../../src/connectors/sql/db/parameters';
import { decodeSkipToken, encodeSkipToken, keysetCondition, orderByClause, totalOrder } from '../../../../src/connectors/sql/odata/paging';
import { parseItemsQuery, parseOrderBy, parseSelect } from '../../../../src/connectors/sql/odata/query-options';
import { heap, onlyGeneratedTokens, orders, parameterValues } from '../fixtures';

describe('paging order', () => {
  it('appends the primary key to the caller\'s order as a tie-breaker', () => {
    const { order, keyed } = totalOrder(orders, parseOrderBy('CustomerName desc, Total', orders));
    assert.equal(keyed, true);
    assert.equal(orderByClause(order), '[CustomerName] DESC, [Total] ASC, [Id] ASC');
  });

  it('falls back to every sortable column (OFFSET paging) for a table without a key', () => {
    const { order, keyed } = totalOrder(heap, []);
    assert.equal(keyed, false);
    assert.deepEqual(order.map((o) => o.column), ['At', 'Message']);
  });

  it('builds "strictly after" for ascending and descending columns, NULLs included', () => {
    const { order } = totalOrder(orders, parseOrderBy('CustomerName desc', orders));
    const bag = new ParameterBag();
    const sql = keysetCondition(orders, order, ['Contoso', 7], bag);
    assert.equal(sql, '((([CustomerName] < @p0 OR [CustomerName] IS NULL)) OR ([CustomerName] = @p0 AND [Id] > @p1))');
    assert.deepEqual(parameterValues(bag), { p0: 'Contoso', p1: 7 });
    const afterNull = keysetCondition(orders, totalOrder(orders, parseOrderBy('CustomerName', orders)).order, [null, 7], new ParameterBag());
    assert.equal(afterNull, '(([CustomerName] IS NOT NULL) OR ([CustomerName] IS NULL AND [Id] > @p0))');
    const descNull = keysetCondition(orders, order, [null, 7], new ParameterBag());
    assert.equal(descNull, '((1 = 0) OR ([CustomerName] IS NULL AND [Id] > @p0))');
  });
});

describe('$skiptoken', () => {
  const state = { table: 'dbo.Orders', select: ['Id'], filter: "CustomerName eq 'a'", orderBy: [{ column: 'Total', descending: true }], remaining: 5, after: ['12.50', 3] };

  it('round-trips the paging state as opaque base64url text', () => {
    const token = encodeSkipToken(state);
    assert.match(token, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeSkipToken(token, orders), { ...state, offset: undefined });
  });

  it('refuses tokens that were not made for this table or were tampered with', () => {
    const refuse = (token: string) =>
      assert.throws(() => decodeSkipToken(token, orders), (e: unknown) => e instanceof HcmError && e.code === 'InvalidQueryOption' && /skiptoken/.test(e.message));
    refuse(encodeSkipToken({ ...state, table: 'dbo.Secret' }));
    refuse('not base64!');
    refuse(Buffer.from('{"v":1').toString('base64url'));
    refuse(Buffer.from(JSON.stringify({ v: 1, table: 'dbo.Orders', orderBy: 'x' })).toString('base64url'));
    refuse(Buffer.from(JSON.stringify({ v: 1, table: 'dbo.Orders', orderBy: [], remaining: -1 })).toString('base64url'));
    refuse('A'.repeat(40_000));
  });

  it('binds forged "after" values as parameters of the column type, so they cannot inject', () => {
    const { order } = totalOrder(orders, []);
    const bag = new ParameterBag();
    const sql = keysetCondition(orders, order, [5], bag);
    assert.ok(onlyGeneratedTokens(sql, ['Id']));
    assert.throws(() => keysetCondition(orders, order, ["1; DROP TABLE Orders --"], new ParameterBag()), (e: unknown) => e instanceof HcmError);
    assert.throws(() => keysetCondition(orders, [{ column: 'Nope', descending: false }], [1], new ParameterBag()), (e: unknown) => e instanceof HcmError);
  });
});

describe('query options', () => {
  it('reads $select, $orderby, $top and $skip against the table\'s real columns', () => {
    const query = parseItemsQuery({ $select: 'Id, customername', $orderby: 'Total desc', $top: '10', $skip: '5', other: 'ignored' }, orders);
    assert.deepEqual(query.select, ['Id', 'CustomerName']);
    assert.deepEqual(query.orderBy, [{ column: 'Total', descending: true }]);
    assert.equal(query.top, 10);
    assert.equal(query.skip, 5);
  });

  it('refuses injection and nonsense in $select, $orderby, $top and $skip', () => {
    const bad = (query: Record<string, unknown>, code = 'InvalidQueryOption') =>
      assert.throws(() => parseItemsQuery(query, orders), (e: unknown) => e instanceof HcmError && e.code === code, JSON.stringify(query));
    bad({ $select: 'Id; DROP TABLE Orders' }, 'ColumnNotFound');
    bad({ $select: '(SELECT 1)' }, 'ColumnNotFound');
    bad({ $select: 'Id,,Total' });
    bad({ $select: 'Id,Id' });
    bad({ $orderby: 'Id; DROP TABLE Orders' });
    bad({ $orderby: 'Id desc, 1' }, 'ColumnNotFound');
    bad({ $orderby: 'Id sideways' });
    bad({ $orderby: 'Notes' });
    bad({ $top: '-1' });
    bad({ $top: '1 OR 1=1' });
    bad({ $skip: '99999999999' });
    bad({ $expand: 'x' });
    bad({ $top: ['1', '2'] });
  });

  it('accepts * and bracket-free names, case-insensitively', () => {
    assert.equal(parseSelect('*', orders), undefined);
    assert.deepEqual(parseSelect('ID,order date', orders), ['Id', 'Order Date']);
  });
});
