/**
 * SQL Server's error numbers and texts, as mssql reports them: 208, 207, 102 (for what is not
 * T-SQL: LIMIT, backticks, ? placeholders, RETURNING), 2627, 547 (foreign key, reference, check),
 * 515, 18456 and 4060 at login. (1222 is in the transactions suite.)
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import sql from 'mssql';
import { Connection } from 'tedious';
import type { SuiteContext } from './context';

async function failure(context: SuiteContext, text: string): Promise<sql.RequestError> {
  try {
    await context.pool.request().query(text);
  } catch (error) {
    return error as sql.RequestError;
  }
  throw new Error(`Expected an error from: ${text}`);
}

async function expectError(context: SuiteContext, text: string, number: number, message: string | RegExp): Promise<void> {
  const error = await failure(context, text);
  assert.equal(error.number, number, `${text} → ${error.message}`);
  if (typeof message === 'string') assert.equal(error.message, message);
  else assert.match(error.message, message);
}

export function errorsSuite(context: SuiteContext): void {
  it('answers 208 for an unknown table and 207 for an unknown column', async () => {
    await expectError(context, 'SELECT * FROM dbo.hcmt_Nope', 208, "Invalid object name 'dbo.hcmt_Nope'.");
    await expectError(context, 'SELECT Nope FROM dbo.hcmt_Parents', 207, "Invalid column name 'Nope'.");
  });

  it('answers 102 for what is not T-SQL: LIMIT, backticks, ? placeholders, RETURNING', async () => {
    await expectError(context, 'SELECT * FROM dbo.hcmt_Parents LIMIT 5', 102, "Incorrect syntax near '5'.");
    await expectError(context, 'SELECT `Email` FROM dbo.hcmt_Parents', 102, "Incorrect syntax near '`'.");
    await expectError(context, 'SELECT Email FROM dbo.hcmt_Parents WHERE Id = ?', 102, "Incorrect syntax near '?'.");
    await expectError(context, "INSERT INTO dbo.hcmt_Parents (Id, Email) VALUES (9, N'r@example.com') RETURNING Id", 102, "Incorrect syntax near 'RETURNING'.");
  });

  it('answers 2627 with the constraint, the table and the duplicate value', async () => {
    await expectError(context, "INSERT INTO dbo.hcmt_Parents (Id, Email) VALUES (3, N'ann@example.com')", 2627,
      "Violation of UNIQUE KEY constraint 'UQ_hcmt_Parents_Email'. Cannot insert duplicate key in object 'dbo.hcmt_Parents'. The duplicate key value is (ann@example.com).");
    await expectError(context, "INSERT INTO dbo.hcmt_Parents (Id, Email) VALUES (1, N'new@example.com')", 2627,
      /^Violation of PRIMARY KEY constraint 'PK__hcmt_Par__[0-9A-F]{16}'\. Cannot insert duplicate key in object 'dbo\.hcmt_Parents'\. The duplicate key value is \(1\)\.$/);
  });

  it('answers 547 for a foreign key, a reference and a check constraint', async () => {
    await expectError(context, "INSERT INTO dbo.hcmt_Children (ParentId, Name, Qty) VALUES (99, N'orphan', 1)", 547,
      `The INSERT statement conflicted with the FOREIGN KEY constraint "FK_hcmt_Children_Parents". The conflict occurred in database "${context.database}", table "dbo.hcmt_Parents", column 'Id'.`);
    await expectError(context, 'DELETE FROM dbo.hcmt_Parents WHERE Id = 1', 547,
      `The DELETE statement conflicted with the REFERENCE constraint "FK_hcmt_Children_Parents". The conflict occurred in database "${context.database}", table "dbo.hcmt_Children", column 'ParentId'.`);
    await expectError(context, "INSERT INTO dbo.hcmt_Children (ParentId, Name, Qty) VALUES (1, N'none', 0)", 547,
      `The INSERT statement conflicted with the CHECK constraint "CK_hcmt_Children_Qty". The conflict occurred in database "${context.database}", table "dbo.hcmt_Children", column 'Qty'.`);
  });

  it('answers 515 for NULL into a NOT NULL column, for INSERT and UPDATE', async () => {
    await expectError(context, 'INSERT INTO dbo.hcmt_Children (ParentId, Name, Qty) VALUES (1, NULL, 1)', 515,
      `Cannot insert the value NULL into column 'Name', table '${context.database}.dbo.hcmt_Children'; column does not allow nulls. INSERT fails.`);
    await expectError(context, 'UPDATE dbo.hcmt_Children SET Name = NULL WHERE Id = 1', 515,
      `Cannot insert the value NULL into column 'Name', table '${context.database}.dbo.hcmt_Children'; column does not allow nulls. UPDATE fails.`);
  });

  it('ends only the failing statement of a batch for a constraint violation; the rest runs', async () => {
    const error = await failure(context, "INSERT INTO dbo.hcmt_Parents (Id, Email) VALUES (1, N'dup@example.com'); INSERT INTO dbo.hcmt_Parents (Id, Email) VALUES (7, N'seven@example.com')");
    assert.equal(error.number, 2627);
    const after = await context.pool.request().query('SELECT COUNT(*) AS Seven FROM dbo.hcmt_Parents WHERE Id = 7; DELETE FROM dbo.hcmt_Parents WHERE Id = 7');
    assert.deepEqual(after.recordset, [{ Seven: 1 }]);
  });

  it('refuses a wrong password with 18456 "Login failed for user" and an unknown database with 4060', async () => {
    const config = context.target.config;
    const wrong = new sql.ConnectionPool({ ...structuredClone(config), password: 'not-the-password' });
    await assert.rejects(wrong.connect(), (error: sql.ConnectionError) => {
      assert.equal(error.code, 'ELOGIN');
      assert.equal(error.message, `Login failed for user '${config.user}'.`);
      return true;
    });
    const numbers = await loginErrorNumbers({ ...config, password: 'not-the-password' });
    assert.deepEqual(numbers, [18456]);
    const unknownDatabase = await loginErrorNumbers({ ...config, database: 'hcmt_no_such_database' });
    assert.deepEqual(unknownDatabase, [4060, 18456]);
  });
}

/** The error numbers a login gets, read from tedious's errorMessage events (mssql keeps only the text). */
function loginErrorNumbers(config: sql.config): Promise<number[]> {
  return new Promise((resolve) => {
    const numbers: number[] = [];
    const connection = new Connection({
      server: config.server,
      authentication: { type: 'default', options: { userName: config.user, password: config.password } },
      options: { port: config.port, database: config.database, encrypt: config.options?.encrypt ?? false, trustServerCertificate: true },
    });
    connection.on('errorMessage', (token: { number: number }) => numbers.push(token.number));
    connection.on('connect', () => {
      connection.close();
      resolve(numbers);
    });
    connection.on('error', () => resolve(numbers));
    connection.connect();
  });
}
