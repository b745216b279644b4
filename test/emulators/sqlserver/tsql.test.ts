/**
 * The T-SQL layer on its own: tokens, SQL Server's syntax errors for what is not T-SQL, GO
 * batches, dates, and CAST/CONVERT's conversion errors with SQL Server's texts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitBatches, tokenize } from '../../../src/emulators/sqlserver/tsql/lexer';
import { parseBatch } from '../../../src/emulators/sqlserver/tsql/parser/parser';
import { SqlError } from '../../../src/emulators/sqlserver/tsql/sql-error';
import { convertValue } from '../../../src/emulators/sqlserver/engine/convert';
import { parseTemporal, toStoredTemporal } from '../../../src/emulators/sqlserver/temporal';

function syntaxError(text: string): { number: number; message: string; line: number } {
  try {
    parseBatch(text);
  } catch (error) {
    const e = error as SqlError;
    return { number: e.number, message: e.message, line: e.lineNumber };
  }
  throw new Error(`${text} parsed`);
}

describe('T-SQL tokens and syntax', () => {
  it('tokenizes delimited identifiers, N-strings with quotes, variables and nested comments', () => {
    const tokens = tokenize("SELECT [Order Id], \"x\", N'it''s', @Name, @@ROWCOUNT /* a /* nested */ comment */ -- line\n FROM t");
    assert.deepEqual(tokens.filter((t) => t.kind !== 'eof').map((t) => [t.kind, t.value]), [
      ['word', 'SELECT'], ['quoted', 'Order Id'], ['punct', ','], ['quoted', 'x'], ['punct', ','], ['string', "it's"], ['punct', ','],
      ['variable', '@Name'], ['punct', ','], ['sysvar', '@@ROWCOUNT'], ['word', 'FROM'], ['word', 'T'],
    ]);
  });

  it("reports SQL Server's syntax errors with their line", () => {
    assert.deepEqual(syntaxError('SELECT *\nFROM t\nLIMIT 10'), { number: 102, message: "Incorrect syntax near '10'.", line: 3 });
    assert.deepEqual(syntaxError("SELECT 'open"), { number: 105, message: "Unclosed quotation mark after the character string 'open'.", line: 1 });
    assert.equal(syntaxError('SELECT 1 /* never closed').number, 113);
    assert.deepEqual(syntaxError('SELECT 1; CREATE PROCEDURE p AS SELECT 1'), { number: 111, message: "'CREATE/ALTER PROCEDURE' must be the first statement in a query batch.", line: 1 });
    assert.equal(syntaxError('MERGE t USING s ON t.a = s.a WHEN MATCHED THEN DELETE').number, 10713);
  });

  it('parses statements without semicolons, as tedious sends its session set-up', () => {
    const statements = parseBatch('set textsize 2147483647 set quoted_identifier on set transaction isolation level read committed select 1');
    assert.deepEqual(statements.map((s) => s.kind), ['setOption', 'setOption', 'setOption', 'select']);
  });

  it('splits scripts into batches on GO lines only', () => {
    const batches = splitBatches("CREATE TABLE t (a int)\nGO\nSELECT 'GO' AS go_word -- GO\n  go  \nSELECT 2");
    assert.deepEqual(batches.map((b) => [b.firstLine, b.text.trim()]), [[1, 'CREATE TABLE t (a int)'], [3, "SELECT 'GO' AS go_word -- GO"], [5, 'SELECT 2']]);
  });
});

describe('dates and conversions', () => {
  it('reads the date formats SQL Server accepts and stores them in sortable text', () => {
    const datetime = { name: 'datetime' as const };
    assert.equal(toStoredTemporal(datetime, parseTemporal('2024-02-29T13:14:15.1234567')!), '2024-02-29 13:14:15.1233333');
    assert.equal(toStoredTemporal({ name: 'date' }, parseTemporal('20240229')!), '2024-02-29');
    assert.equal(toStoredTemporal({ name: 'datetime2', scale: 0 }, parseTemporal('02/29/2024 11:59:59.6 PM')!), '2024-03-01 00:00:00.0000000');
    assert.equal(toStoredTemporal({ name: 'datetimeoffset', scale: 7 }, parseTemporal('2024-02-29 10:00 -05:30')!), '2024-02-29 10:00:00.0000000 -05:30');
    assert.equal(parseTemporal('2023-02-29'), undefined, 'not a leap year');
  });

  it("raises CAST's errors with SQL Server's numbers and texts", () => {
    const error = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return [(e as SqlError).number, (e as SqlError).message];
      }
      return undefined;
    };
    assert.deepEqual(error(() => convertValue('12x', { name: 'varchar', length: 3 }, { name: 'int' })), [245, "Conversion failed when converting the varchar value '12x' to data type int."]);
    assert.deepEqual(error(() => convertValue(1234.5, { name: 'float' }, { name: 'decimal', precision: 4, scale: 2 })), [8115, 'Arithmetic overflow error converting float to data type numeric.']);
    assert.deepEqual(error(() => convertValue('nope', { name: 'nvarchar', length: 4 }, { name: 'uniqueidentifier' })), [8169, 'Conversion failed when converting from a character string to uniqueidentifier.']);
    assert.deepEqual(error(() => convertValue('31/31/2024', { name: 'varchar', length: 10 }, { name: 'date' })), [241, 'Conversion failed when converting date and/or time from character string.']);
    assert.equal(convertValue('2.675', { name: 'varchar', length: 5 }, { name: 'decimal', precision: 5, scale: 2 }), 2.68);
    assert.equal(convertValue(3000000000n, { name: 'bigint' }, { name: 'int' }, undefined, true), null, 'TRY_CAST gives NULL');
  });
});
