/**
 * Data type names in declarations, CAST and CONVERT: `int`, `nvarchar(50)`, `varchar(max)`,
 * `decimal(10, 2)`, `datetime2(3)`, `double precision`, `sysname`.
 */
import type { Cursor } from './cursor';
import { VARIANT } from '../../sql-type';
import { canonicalTypeName, makeType, SqlType } from '../../sql-type';
import { sqlErrors } from '../sql-error';

export function parseDataType(cursor: Cursor, inCast = false): SqlType {
  const token = cursor.peek();
  if (token.kind !== 'word' && token.kind !== 'quoted') throw cursor.syntaxError();
  cursor.next();
  let written = token.kind === 'quoted' ? token.value : token.text;
  // Accept a schema prefix (sys.int, dbo.) and multi-word names.
  if (cursor.isPunct('.')) {
    cursor.next();
    written = cursor.identifier(true);
  }
  if (written.toLowerCase() === 'double' && cursor.acceptWord('PRECISION')) written = 'double precision';
  if (written.toLowerCase() === 'national' || written.toLowerCase() === 'char' || written.toLowerCase() === 'character') {
    while (cursor.isWord('CHAR', 'CHARACTER', 'VARYING')) written += ` ${cursor.next().text}`;
  }
  // sql_variant: each value carries its own base type (variant-value.ts).
  if (written.toLowerCase() === 'sql_variant') return { ...VARIANT };
  const name = canonicalTypeName(written);
  if (!name) throw sqlErrors.unknownType(written).at(token.line);
  const args: Array<number | 'max'> = [];
  if (cursor.acceptPunct('(')) {
    do {
      if (cursor.acceptWord('MAX')) args.push('max');
      else {
        const number = cursor.next();
        if (number.kind !== 'number' || !/^\d+$/.test(number.text)) throw cursor.syntaxError();
        args.push(Number(number.text));
      }
    } while (cursor.acceptPunct(','));
    cursor.expectPunct(')');
  }
  return makeType(name, args, inCast, written.toLowerCase());
}
