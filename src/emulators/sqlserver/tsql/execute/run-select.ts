/**
 * SELECT: streams rows from a SQLite statement to the client one at a time, waiting whenever
 * the client's socket is full, so 100,000 rows never sit in memory and a paused reader pauses
 * the query. Column types unknown at translation (an untyped parameter, say) are taken from the
 * first row. SELECT @v = … assigns instead of returning rows.
 */
import type { Statement } from '../ast';
import type { Executor } from './executor';
import { CancelledError } from './executor';
import type { ResultColumn } from '../../protocol/tokens/col-metadata';
import { CurrentCommand } from '../../protocol/tokens/done';
import { inferType } from '../../engine/convert';
import { INT, MAX_LENGTH, NVARCHAR_4000, StoredValue, typeFamily } from '../../sql-type';
import type { OutputColumn } from '../translate/emit-query';
import { runSelectInto } from './run-select-into';

export async function runSelect(ex: Executor, statement: Statement & { kind: 'select' }): Promise<void> {
  const body = statement.query.body;
  if (body.kind === 'select' && body.into) return runSelectInto(ex, statement);
  const compiler = ex.compiler();
  const compiled = compiler.compile(statement.query);
  const { statement: prepared, values } = ex.session.bind(compiled.sql, compiler.params);
  if (compiled.assignments) {
    const rows = prepared.all(...values) as StoredValue[][];
    const last = rows[rows.length - 1];
    if (last) compiled.assignments.forEach((a, i) => ex.assign(a.variable, last[i], compiled.columns[i].type));
    ex.session.rowCount = rows.length;
    ex.sink.done({ inProc: ex.inProc, rowCount: ex.session.options.nocount ? undefined : rows.length, command: CurrentCommand.Select });
    return;
  }
  const iterator = prepared.iterate(...values) as IterableIterator<StoredValue[]>;
  let count = 0;
  try {
    let next = iterator.next();
    const columns = resultColumns(compiled.columns, next.done ? undefined : next.value);
    ex.sink.columns(columns);
    const limit = textSizeLimits(columns, ex.session.options.textSize);
    while (!next.done) {
      if (ex.signal.aborted) throw new CancelledError();
      const wait = ex.sink.row(limit ? limit(next.value) : next.value);
      count++;
      if (wait) await wait;
      next = iterator.next();
    }
  } finally {
    iterator.return?.();
  }
  ex.session.rowCount = count;
  ex.sink.done({ inProc: ex.inProc, rowCount: ex.session.options.nocount ? undefined : count, command: CurrentCommand.Select });
}

/**
 * SET TEXTSIZE: SQL Server cuts (n)varchar(max), varbinary(max), text, ntext and image values in a
 * SELECT's results to @@TEXTSIZE bytes (an nvarchar character is two). Undefined when nothing is cut.
 */
function textSizeLimits(columns: ResultColumn[], textSize: number): ((row: StoredValue[]) => StoredValue[]) | undefined {
  if (textSize <= 0 || textSize >= 2_147_483_647) return undefined;
  const large = new Set(['text', 'ntext', 'image']);
  const limits = columns.map((c) => (c.type.length === MAX_LENGTH || large.has(c.type.name)
    ? (c.type.name === 'nvarchar' || c.type.name === 'ntext' ? Math.floor(textSize / 2) : textSize) : undefined));
  if (limits.every((l) => l === undefined)) return undefined;
  return (row) => row.map((value, i) => {
    const limit = limits[i];
    if (limit === undefined || value === null) return value;
    if (typeof value === 'string' && value.length > limit) return value.slice(0, limit);
    if (Buffer.isBuffer(value) && value.length > limit) return value.subarray(0, limit);
    return value;
  });
}

/** COLMETADATA columns; a type translation could not know comes from the first row's value. */
export function resultColumns(columns: OutputColumn[], firstRow: StoredValue[] | undefined): ResultColumn[] {
  return columns.map((column, i) => {
    let type = column.type;
    if (!type || (typeFamily(type) === 'string' && type.length === undefined)) {
      const value = firstRow?.[i];
      if (value === null || value === undefined) type = type ?? INT;
      else {
        type = inferType(value);
        if (typeFamily(type) === 'string') type = String(value).length > 4000 ? { name: 'nvarchar', length: MAX_LENGTH } : NVARCHAR_4000;
      }
    }
    return { name: column.name, type, nullable: column.nullable, identity: column.identity, readOnly: column.readOnly };
  });
}
