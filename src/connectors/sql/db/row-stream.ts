/**
 * Runs one mssql request in stream mode and hands its rows over one by one, so no result is ever
 * held whole in memory. The caller pauses and resumes the request for back-pressure, and cancels it
 * (a TDS ATTENTION) when its client goes away.
 */
import sql from 'mssql';

export interface StreamResult {
  output: Record<string, unknown>;
  rowsAffected: number[];
  returnValue?: unknown;
}

export interface RowHandlers {
  /** A new result set starts (index 0, 1, …) with these columns. */
  recordset?: (columns: Record<string, sql.IColumnMetadata[string]>, index: number) => void;
  row: (row: Record<string, unknown>, recordsetIndex: number) => void;
}

export interface RowStream {
  done: Promise<StreamResult>;
  pause(): void;
  resume(): void;
  cancel(): void;
}

/** Starts `request` (already given its parameters) with `start`, e.g. r => r.query(text). */
export function streamRows(request: sql.Request, start: (request: sql.Request) => unknown, handlers: RowHandlers): RowStream {
  request.stream = true;
  let index = -1;
  let firstError: unknown;
  let canceled = false;
  const done = new Promise<StreamResult>((resolve, reject) => {
    request.on('recordset', (columns) => {
      index += 1;
      handlers.recordset?.(columns, index);
    });
    request.on('row', (row) => {
      if (firstError === undefined && !canceled) handlers.row(row, Math.max(index, 0));
    });
    request.on('error', (error) => {
      if (firstError === undefined) firstError = error;
    });
    request.on('done', (result: Partial<StreamResult> & { returnValue?: unknown }) => {
      if (firstError !== undefined) reject(firstError);
      else resolve({ output: result?.output ?? {}, rowsAffected: result?.rowsAffected ?? [], returnValue: result?.returnValue });
    });
  });
  // In stream mode the promise form resolves or rejects alongside the events; the events decide.
  Promise.resolve(start(request)).catch((error) => {
    if (firstError === undefined) firstError = error;
  });
  return {
    done,
    pause: () => request.pause(),
    resume: () => request.resume(),
    cancel: () => {
      if (canceled) return;
      canceled = true;
      request.cancel();
      // A paused request never reads the server's answer to the cancel: let it drain.
      request.resume();
    },
  };
}
