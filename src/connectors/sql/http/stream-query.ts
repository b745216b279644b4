/**
 * Streams one statement's rows into a JSON response (see JsonStream for back-pressure and for how
 * errors are reported before and after the first row). The caller supplies the JSON around the rows
 * and how each row is written; memory stays flat whatever the row count.
 */
import sql from 'mssql';
import type { Response } from 'express';
import { ConnectorContext } from '../context';
import { Statement } from '../db/parameters';
import { StreamResult, streamRows } from '../db/row-stream';
import { JsonStream } from './json-stream';

export interface JsonRowsOptions {
  /** JSON before the first row, e.g. '{"value":['. */
  head: string;
  /** Returns the JSON text for a row (without separators), or undefined to leave it out. */
  row: (row: Record<string, unknown>, recordsetIndex: number) => string | undefined;
  /** JSON after the last row, computed once the statement is done, e.g. ']}'. */
  tail: (result: StreamResult) => string;
  status?: number;
  /** Run inside this transaction instead of on a pooled connection. */
  transaction?: sql.Transaction;
  /** Called when a new result set starts (e.g. to write '],[' between result sets). */
  recordset?: (index: number, stream: JsonStream) => void;
  /** 'execute' runs the text as a procedure name (RPC); default 'query'. */
  mode?: 'query' | 'execute';
  /** Extra per-request setup (e.g. output parameters). */
  prepare?: (request: sql.Request) => void;
  /** Called after the response ended normally (true) or was cut or abandoned (false). */
  finished?: (complete: boolean) => void;
}

export async function streamJsonRows(ctx: ConnectorContext, res: Response, statement: Statement, options: JsonRowsOptions): Promise<void> {
  const pool = options.transaction ? (options.transaction as unknown as { parent?: sql.ConnectionPool }).parent : await ctx.db.pool();
  const request = options.transaction ? new sql.Request(options.transaction) : pool!.request();
  statement.parameters.applyTo(request);
  options.prepare?.(request);
  const out = new JsonStream(res, options.status ?? 200);
  out.write(options.head);
  const rows = streamRows(request, (r) => (options.mode === 'execute' ? r.execute(statement.text) : r.query(statement.text)), {
    recordset: (_columns, index) => options.recordset?.(index, out),
    row: (row, index) => {
      if (out.isClosed) return;
      const text = options.row(row, index);
      if (text === undefined) return;
      out.commit();
      out.write(text);
    },
  });
  out.attach(rows);
  let result: StreamResult;
  try {
    result = await rows.done;
  } catch (error) {
    const mapped = ctx.db.fail(pool, error);
    options.finished?.(false);
    if (out.isClosed) return;
    if (!out.isCommitted) throw mapped.error;
    ctx.logger.warn({ code: mapped.error.code }, 'the statement failed after the response started; the response was cut');
    out.abort(mapped.error);
    return;
  }
  if (out.isClosed) {
    options.finished?.(false);
    return;
  }
  res.once('finish', () => options.finished?.(true));
  res.once('close', () => {
    if (!res.writableFinished) options.finished?.(false);
  });
  out.end(options.tail(result));
}

/** Writes rows as a JSON array's items: the first bare, the others after a comma. */
export function arrayItems(): (json: string) => string {
  let first = true;
  return (json) => {
    const text = first ? json : `,${json}`;
    first = false;
    return text;
  };
}
