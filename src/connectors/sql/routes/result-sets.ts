/**
 * Streams every result set of a procedure call or /query statement as
 * {"resultSets":[[…],[…]], …tail}. Values are what the driver gives (documented in the README):
 * decimals as numbers, dates as ISO text in UTC, bigint as text, binary as base64.
 */
import type { Response } from 'express';
import sql from 'mssql';
import { formatDriverValue } from '../catalog/row-format';
import { ConnectorContext } from '../context';
import { Statement } from '../db/parameters';
import { StreamResult } from '../db/row-stream';
import { streamJsonRows } from '../http/stream-query';

function driverRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) out[name] = Array.isArray(value) ? value.map(formatDriverValue) : formatDriverValue(value);
  return out;
}

export function driverValues(values: Record<string, unknown>): Record<string, unknown> {
  return driverRow(values);
}

export async function streamResultSets(
  ctx: ConnectorContext,
  res: Response,
  statement: Statement,
  options: { mode: 'query' | 'execute'; prepare?: (request: sql.Request) => void; tail: (result: StreamResult) => string },
): Promise<void> {
  let sets = 0;
  let rowsInSet = 0;
  await streamJsonRows(ctx, res, statement, {
    head: '{"resultSets":[',
    mode: options.mode,
    prepare: options.prepare,
    recordset: (index, out) => {
      sets = index + 1;
      rowsInSet = 0;
      out.write(index === 0 ? '[' : '],[');
    },
    row: (row) => {
      const text = JSON.stringify(driverRow(row));
      rowsInSet += 1;
      return rowsInSet === 1 ? text : `,${text}`;
    },
    tail: (result) => `${sets > 0 ? ']' : ''}]${options.tail(result)}}`,
  });
}
