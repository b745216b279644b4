/** $filter: parsing, compilation to parameterised T-SQL, limits, and injection attempts. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HcmError } from '../../../../src/common/errors';
import { ParameterBag } from '../../../../src/connectors/sql/db/parameters';
import { compileFilter, escapeLike } from '../../../../src/connectors/sql/odata/compile-filter';
import { FILTER_LIMITS, parseFilter } from '../../../../src/connectors/sql/odata/filter-parser';
import { onlyGeneratedTokens, orders, parameterValues } from '../fixtures';

function compile(text: string) {
  const bag = new ParameterBag();
  const sql = compileFilter(parseFilter(text), orders, bag);
  return { sql, values: parameterValues(bag) };
}

function refused(text: string, code = 'InvalidQueryOption'): HcmError {
  try {
    compile(text);
  } catch (error) {
    assert.ok(error instanceof HcmError, `expected an HcmError for ${text}, got ${String(error)}`);
    assert.equal(error.code, code, `${text}: ${error.message}`);
    return error;
  }
  assert.fail(`${text} was accepted`);
}

const columnNames = orders.columns.map((c) => c.name);

describe('$filter compilation', () => {
  it('turns comparisons into bracketed columns and typed parameters', () => {
    const { sql, values } = compile("CustomerName eq 'Contoso' and Id gt 5");
    assert.equal(sql, '(([CustomerName] = @p0) AND ([Id] > @p1))');
    assert.deepEqual(values, { p0: 'Contoso', p1: 5 });
  });

  it('keeps a quote inside a string literal as data, not SQL', () => {
    const { sql, values } = compile("CustomerName eq 'O''Brien''); DROP TABLE Orders; --'");
    assert.equal(sql, '([CustomerName] = @p0)');
    assert.equal(values.p0, "O'Brien'); DROP TABLE Orders; --");
  });

  it('sends exact numbers as text CAST with enough scale, so no digit is rounded away', () => {
    const { sql, values } = compile('Total ge 12345678901234567.125');
    assert.equal(sql, '([Total] >= CAST(@p0 AS decimal(38,3)))');
    assert.equal(values.p0, '12345678901234567.125');
  });

  it('passes bigint values as text (no float rounding) and dates as CAST text', () => {
    assert.deepEqual(compile('Big eq 9223372036854775807').values, { p0: '9223372036854775807' });
    const date = compile('Placed lt 2024-05-01T10:00:00Z');
    assert.equal(date.sql, '([Placed] < CAST(@p0 AS datetime2(7)))');
    assert.equal(date.values.p0, '2024-05-01T10:00:00Z');
    assert.equal(compile('PlacedAt ge 2024-05-01T10:00:00+02:00').values.p0, '2024-05-01T10:00:00+02:00');
  });

  it('compiles null tests, not, or, and flipped literal-first comparisons', () => {
    assert.equal(compile('CustomerName eq null').sql, '([CustomerName] IS NULL)');
    assert.equal(compile('null ne CustomerName').sql, '([CustomerName] IS NOT NULL)');
    assert.equal(compile('5 lt Id').sql, '([Id] > @p0)');
    assert.equal(compile('not (Shipped eq true) or Weight le 1.5').sql, '((NOT ([Shipped] = @p0)) OR ([Weight] <= @p1))');
  });

  it('keeps rows whose column is NULL for ne on a nullable column (OData semantics)', () => {
    assert.equal(compile("CustomerName ne 'x'").sql, '([CustomerName] <> @p0 OR [CustomerName] IS NULL)');
    assert.equal(compile('Id ne 3').sql, '([Id] <> @p0)');
  });

  it('makes startswith/endswith/contains LIKE patterns whose wildcards in the text match literally', () => {
    const { sql, values } = compile("startswith(CustomerName, '50%_off[') and contains(CustomerName,'a\\b') and endswith(CustomerName,'z') eq false");
    assert.match(sql, /^\(\(\(\[CustomerName\] LIKE @p0 ESCAPE '\\'\) AND \(\[CustomerName\] LIKE @p1 ESCAPE '\\'\)\) AND \(NOT \(\[CustomerName\] LIKE @p2 ESCAPE '\\'\)\)\)$/);
    assert.deepEqual(values, { p0: '50\\%\\_off\\[%', p1: '%a\\\\b%', p2: '%z' });
    assert.equal(escapeLike('%_[\\'), '\\%\\_\\[\\\\');
  });

  it('accepts GUID and boolean literals for their column types', () => {
    assert.deepEqual(compile('Ref eq 0f8fad5b-d9cb-469f-a165-70867728950e').values, { p0: '0f8fad5b-d9cb-469f-a165-70867728950e' });
    assert.deepEqual(compile('Shipped eq false').values, { p0: false });
  });

  it('compares two columns of the table without parameters', () => {
    assert.equal(compile('Id lt Big').sql, '([Id] < [Big])');
  });
});

describe('$filter refusals', () => {
  it('refuses unknown columns with ColumnNotFound naming the column', () => {
    const error = refused('Secret eq 1', 'ColumnNotFound');
    assert.match(error.message, /Secret/);
  });

  it('refuses SQL smuggled in as words, operators or functions', () => {
    for (const text of [
      "Id eq 1; DROP TABLE Orders",
      "Id eq 1 -- comment",
      "Id eq 1 /* x */",
      'Id eq 1 union select 1',
      "Id eq 1 or 1 eq 1",
      "CustomerName eq 'a' + 'b'",
      'Id eq (select 1)',
      "tolower(CustomerName) eq 'a'",
      'Id eq @p0',
      '[Id] eq 1',
      'Id eq 0x1F',
      'Id in (1,2)',
      "CustomerName eq \"x\"",
      'Id eq',
      'eq 1',
      'Id eq 1)',
      '(Id eq 1',
      "CustomerName eq 'unterminated",
      'Total gt 1e400',
    ]) {
      assert.throws(() => compile(text), (error: unknown) => error instanceof HcmError && ['InvalidQueryOption', 'ColumnNotFound'].includes(error.code), text);
    }
  });

  it('refuses a value of the wrong type for the column instead of letting SQL Server convert it', () => {
    refused("Id eq 'abc'");
    refused('Id eq 3000000000');
    refused("Shipped eq 'maybe'");
    refused("Ref eq 'not-a-guid'");
    refused('Big eq 99999999999999999999');
  });

  it('refuses columns that cannot be compared and functions on non-text columns', () => {
    refused("Notes eq 'x'");
    refused("startswith(Id, '1')");
    refused('startswith(CustomerName, 1)');
    refused('Id gt null');
  });

  it('bounds the length, the nesting and the number of conditions', () => {
    refused('Id eq 1 or '.repeat(FILTER_LIMITS.maxNodes + 5) + 'Id eq 1');
    refused('('.repeat(FILTER_LIMITS.maxDepth + 2) + 'Id eq 1' + ')'.repeat(FILTER_LIMITS.maxDepth + 2));
    refused(`CustomerName eq '${'x'.repeat(FILTER_LIMITS.maxLength)}'`);
    refused('');
  });

  it('never lets caller text into the SQL: any filter either fails cleanly or compiles to connector tokens only', () => {
    const pieces = fc.constantFrom(
      'Id', 'CustomerName', 'Total', 'Shipped', 'eq', 'ne', 'gt', 'and', 'or', 'not', '(', ')', "'", "''", ';', '--', '/*', '[', ']',
      'DROP', 'TABLE', '1', '2.5', 'null', 'true', ',', 'startswith', 'contains', '@p0', '0x1', 'N', '"', '%', '\\',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 6 })), { maxLength: 12 }), (parts) => {
        const text = parts.join(' ');
        let result: { sql: string } | undefined;
        try {
          result = compile(text);
        } catch (error) {
          assert.ok(error instanceof HcmError, `non-HcmError for ${JSON.stringify(text)}: ${String(error)}`);
          return;
        }
        assert.ok(onlyGeneratedTokens(result.sql, columnNames), `${JSON.stringify(text)} compiled to ${result.sql}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('binds any string literal exactly as given', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        const { sql, values } = compile(`CustomerName eq '${value.replace(/'/g, "''")}'`);
        assert.equal(sql, '([CustomerName] = @p0)');
        assert.equal(values.p0, value);
      }),
      { numRuns: 500 },
    );
  });
});
