/**
 * What a logged-in client can ask: SQL batches (MS-TDS 2.2.6.7), RPC calls (2.2.6.6), transaction
 * manager requests (2.2.6.9) and bulk-load rows (2.2.6.1). Each runs through an Executor whose
 * results stream into one response message, ended by a final DONE or DONEPROC.
 */
import type { IncomingMessage } from '../protocol/message-reader';
import { readSqlBatch } from '../protocol/payloads/sql-batch';
import { readRpcRequest, SPECIAL_PROCEDURE_NAMES } from '../protocol/payloads/rpc-request';
import { readTransactionManagerRequest, TransactionRequest } from '../protocol/payloads/transaction-manager';
import { readBulkLoad } from '../protocol/payloads/bulk-load';
import { Executor } from '../tsql/execute/executor';
import { callProcedure } from '../tsql/execute/run-procedure';
import { loadBulkRows } from '../tsql/execute/bulk-insert';
import { toSqlError } from '../engine/error-map';
import { SqlError, sqlErrors } from '../tsql/sql-error';
import type { SqlSession } from '../engine/sql-session';
import type { ResponseWriter } from './response-writer';

export type RequestHandler = (session: SqlSession, message: IncomingMessage, response: ResponseWriter) => Promise<void>;

export const handleSqlBatch: RequestHandler = async (session, message, response) => {
  const { text } = readSqlBatch(message.payload, response.tdsVersion);
  const executor = new Executor(session, response);
  await executor.runBatch(text);
  session.batchEnded();
  response.finish('done', executor.hadError);
};

export const handleRpc: RequestHandler = async (session, message, response) => {
  const request = readRpcRequest(message.payload, response.tdsVersion);
  const executor = new Executor(session, response);
  for (let i = 0; i < request.calls.length; i++) {
    const call = request.calls[i];
    const name = call.procedureName ?? SPECIAL_PROCEDURE_NAMES[call.procedureId ?? -1];
    if (!name) {
      executor.report(sqlErrors.procedureNotFound(`#${call.procedureId}`));
      response.finish('doneProc', true);
      return;
    }
    const args = call.parameters.map((p) => ({ name: p.name || undefined, value: p.value, type: p.typeInfo.sqlType, output: p.output, useDefault: p.useDefault, table: p.table }));
    await executor.guard(async () => {
      const result = await callProcedure(executor, name, args);
      response.returnStatus(result.returnStatus);
      for (const output of result.outputs) {
        response.returnValue({ ordinal: output.index, name: call.parameters[output.index]?.name || output.name, type: output.type, value: output.value });
      }
    });
    if (i < request.calls.length - 1) response.done({ inProc: true, error: executor.hadError, command: 0 });
  }
  response.finish('doneProc', executor.hadError);
};

export const handleBulkLoad: RequestHandler = async (session, message, response) => {
  const executor = new Executor(session, response);
  await executor.guard(async () => {
    const bulk = readBulkLoad(message.payload, response.tdsVersion);
    const columns = bulk.columns.map((c) => ({ name: c.name, type: c.typeInfo.sqlType }));
    try {
      await loadBulkRows(executor, columns, bulk.rows);
    } catch (error) {
      throw toSqlError(error, 'INSERT', session.database);
    }
  });
  // SQL Server answers a bulk load with one DONE: final, with the count of rows loaded.
  response.finish('done', executor.hadError, executor.hadError ? undefined : session.rowCount);
};

export const handleTransactionManager: RequestHandler = async (session, message, response) => {
  const request = readTransactionManagerRequest(message.payload, response.tdsVersion);
  const executor = new Executor(session, response);
  await executor.guard(async () => {
    switch (request.requestType) {
      case TransactionRequest.BeginXact: {
        // TM_BEGIN_XACT's isolation level (0: unchanged) numbers the levels as sys.dm_exec_sessions does.
        if (request.isolationLevel) session.options.isolationLevel = request.isolationLevel;
        const descriptor = session.begin();
        if (descriptor) response.transactionChanged('begin', descriptor);
        break;
      }
      case TransactionRequest.CommitXact: {
        const ended = session.commit();
        if (ended) response.transactionChanged('commit', ended);
        break;
      }
      case TransactionRequest.RollbackXact: {
        if (request.name && session.inWriteTransaction && session.tranCount > 0) {
          try {
            session.rollbackTo(request.name);
            break;
          } catch {
            // Not a savepoint: roll back the transaction.
          }
        }
        const ended = session.rollback();
        if (ended) response.transactionChanged('rollback', ended);
        break;
      }
      case TransactionRequest.SaveXact:
        if (session.tranCount === 0) throw new SqlError(628, 'Cannot issue SAVE TRANSACTION when there is no active transaction.');
        await session.savepoint(request.name, response.signal);
        break;
      default:
        throw sqlErrors.notSupported(`transaction manager request ${request.requestType} (distributed transactions)`);
    }
  });
  response.finish('done', executor.hadError);
};
