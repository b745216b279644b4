/** The 2015 whereClause: only its grammar is accepted, and the SQL is regenerated with parameters. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HcmError } from '../../../../src/common/errors';
import { ParameterBag } from '../../../../src/connectors/sql/db/parameters';
import { parseFields } from '../../../../src/connectors/sql/legacy/fields';
import { compileWhereClause } from '../../../../src/connectors/sql/legacy/where-clause';
import { onlyGeneratedTokens, orders, parameterValues } from '../fixtures';

function compile(clause: string) {
  const bag = new ParameterBag();
  return { sql: compileWhereClause(clause, orders, bag), values: parameterValues(bag) };
}

function refused(clause: string, code = 'InvalidWhereClause'): void {
  assert.throws(() => compile(clause), (e: unknown) => e instanceof HcmError && e.code === code, clause);
}

describe('whereClause (2015 grammar)', () => {
  it('regenerates comparisons, AND/OR and parentheses with every literal as a parameter', () => {
    const { sql, values } = compile("(Id >= 10 AND CustomerName = 'Contoso') OR [Total] < 5.25");
    assert.equal(sql, '((([Id] >= @p0) AND ([CustomerName] = @p1)) OR ([Total] < CAST(@p2 AS decimal(38,2))))');
    assert.deepEqual(values, { p0: 10, p1: 'Contoso', p2: '5.25' });
  });

  it('accepts LIKE patterns, <>, N\'…\' strings, doubled quotes and literal-first comparisons', () => {
    assert.deepEqual(compile("CustomerName LIKE 'Con%'"), { sql: '([CustomerName] LIKE @p0)', values: { p0: 'Con%' } });
    assert.deepEqual(compile("CustomerName <> N'O''Brien'").values, { p0: "O'Brien" });
    assert.equal(compile('5 < Id').sql, '([Id] > @p0)');
    assert.equal(compile("Placed >= '2015-06-01'").sql, '([Placed] >= CAST(@p0 AS datetime2(7)))');
    assert.equal(compile('Orders.Id = 1').sql, '([Id] = @p0)');
  });

  it('keeps injection attempts inside a string literal as data', () => {
    const { sql, values } = compile("CustomerName = 'x''; DROP TABLE Orders; --'");
    assert.equal(sql, '([CustomerName] = @p0)');
    assert.equal(values.p0, "x'; DROP TABLE Orders; --");
  });

  it('refuses everything 2015 did not allow', () => {
    for (const clause of [
      'Id IN (1, 2)', 'Id BETWEEN 1 AND 2', 'CustomerName IS NULL', 'CustomerName IS NOT NULL', "UPPER(CustomerName) = 'A'",
      'Id = 1 + 1', "CustomerName = 'a' + 'b'", 'Id = 0x1F', 'Id != 1', "CustomerName NOT LIKE 'a'", 'NOT (Id = 1)',
      'Id = (SELECT 1)', 'EXISTS (SELECT 1 FROM dbo.Secret)', 'Id = @x', '"Id" = 1', 'Id = 1.5e3', 'Id', '1 = 1',
    ]) {
      refused(clause);
    }
  });

  it('refuses a second statement, UNION, ORDER BY and comments that hide the rest', () => {
    refused('Id = 1; DROP TABLE Orders');
    refused('Id = 1 UNION SELECT * FROM dbo.Secret');
    refused('Id = 1 ORDER BY 1');
    refused('Id = 1 GROUP BY Id');
    refused("Id = 1) OR (1 = 1");
    refused('');
    refused('x'.repeat(9000));
  });

  it('refuses comments and any \';\', trailing or not, as /query does, naming which', () => {
    for (const [clause, reason] of [
      ['Id = 1 -- the rest', /comments/], ['Id = 1 /* note */', /comments/], ['Id /**/ = 1', /comments/], ['Id = 1;', /';'/], ['Id = 1 ;  ', /';'/],
      ["CustomerName = 'open", /not closed/],
    ] as const) {
      assert.throws(() => compile(clause), (e: unknown) => e instanceof HcmError && e.code === 'InvalidWhereClause' && reason.test(e.message), clause);
    }
    // Inside a string literal they are data, not comments or separators.
    assert.deepEqual(compile("CustomerName = 'a -- b; /* c */'").values, { p0: 'a -- b; /* c */' });
  });

  it('refuses other tables\' columns and unknown columns', () => {
    refused('Secret.Id = 1');
    refused('dbo.Secret.Id = 1');
    refused('Nope = 1', 'ColumnNotFound');
  });

  it('never emits caller text: any clause fails cleanly or compiles to connector tokens only', () => {
    const pieces = fc.constantFrom('Id', 'CustomerName', '=', '<>', '<', 'LIKE', 'AND', 'OR', '(', ')', "'a'", "'", ';', '--', '1', 'DROP', 'SELECT', 'FROM', 'dbo.Secret', ',', '@x', 'IN', 'NULL', 'IS');
    fc.assert(
      fc.property(fc.array(pieces, { minLength: 1, maxLength: 10 }), (parts) => {
        const clause = parts.join(' ');
        let sql: string;
        try {
          sql = compile(clause).sql;
        } catch (error) {
          assert.ok(error instanceof HcmError, `${clause}: ${String(error)}`);
          return;
        }
        assert.ok(onlyGeneratedTokens(sql, orders.columns.map((c) => c.name)), `${clause} → ${sql}`);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('2015 fields', () => {
  it('reads comma lists with [bracketed] names and arrays; empty means all columns', () => {
    assert.deepEqual(parseFields('Id, [Order Date], customername', orders), ['Id', 'Order Date', 'CustomerName']);
    assert.deepEqual(parseFields(['Total'], orders), ['Total']);
    assert.equal(parseFields('', orders), undefined);
    assert.equal(parseFields(undefined, orders), undefined);
  });

  it('refuses expressions, TOP, aliases and unknown names', () => {
    for (const fields of ['TOP 1 Id', 'Id AS x', 'COUNT(*)', 'Id; DROP TABLE Orders', 'Orders.Id']) {
      assert.throws(() => parseFields(fields, orders), (e: unknown) => e instanceof HcmError && e.code === 'ColumnNotFound', fields);
    }
    assert.throws(() => parseFields(42, orders), (e: unknown) => e instanceof HcmError && e.code === 'BadRequest');
  });
});
