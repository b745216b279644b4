/**
 * Runs a T-SQL script (batches separated by GO lines, as sqlcmd and SSMS read them) on a private
 * session: the seed of `hcm sqlserver --seed` and of the demo database. The first error stops the
 * script with a message naming its batch and line.
 */
import { splitBatches } from './tsql/lexer';
import { SqlSession, ServerInfo } from './engine/sql-session';
import type { StandInDatabase } from './engine/database';
import { Executor } from './tsql/execute/executor';
import type { ResultSink } from './tsql/execute/result-sink';
import type { SqlError } from './tsql/sql-error';

export async function runScript(store: StandInDatabase, server: ServerInfo, script: string): Promise<void> {
  const session = new SqlSession(store, server, { spid: 1, login: 'sa', appName: 'hcm seed', hostName: 'localhost' }, server.databaseName);
  const errors: SqlError[] = [];
  const sink: ResultSink = {
    signal: new AbortController().signal,
    columns: () => undefined,
    row: () => undefined,
    done: () => undefined,
    error: (error) => { errors.push(error); },
    info: () => undefined,
    returnStatus: () => undefined,
    returnValue: () => undefined,
    transactionChanged: () => undefined,
    databaseChanged: () => undefined,
  };
  try {
    for (const batch of splitBatches(script)) {
      await new Executor(session, sink).runBatch(batch.text);
      if (errors.length > 0) {
        const error = errors[0];
        throw new Error(`The seed script failed in the batch starting at line ${batch.firstLine}, line ${batch.firstLine + error.lineNumber - 1}: Msg ${error.number}: ${error.message}`);
      }
    }
  } finally {
    session.close();
  }
}
