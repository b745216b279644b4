/** SQL Server and driver errors mapped to the catalogue, using mssql's own error classes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sql from 'mssql';
import { mapDatabaseError } from '../../../../src/connectors/sql/db/error-map';

/** A RequestError as mssql builds it from a SQL Server error message. */
function serverError(number: number, message = `error ${number}`, severity = 16) {
  return new sql.RequestError(Object.assign(new Error(message), { info: { number, message, class: severity } }) as unknown as string, 'EREQUEST');
}

describe('database error mapping', () => {
  it('maps constraint, object and NULL errors to their statuses, keeping sqlErrorNumber', () => {
    const cases: Array<[number, string, number]> = [
      [2627, 'UniqueViolation', 409], [2601, 'UniqueViolation', 409], [547, 'ForeignKeyViolation', 409], [515, 'NullNotAllowed', 400],
      [208, 'ObjectNotFound', 404], [245, 'BadRequest', 400], [8115, 'BadRequest', 400], [229, 'PermissionDenied', 403], [50000, 'SqlError', 400],
    ];
    for (const [number, code, status] of cases) {
      const { error, connectionLost } = mapDatabaseError(serverError(number), 1000);
      assert.equal(error.code, code, String(number));
      assert.equal(error.status, status);
      assert.equal(error.toJSON().error.sqlErrorNumber, number);
      assert.equal(connectionLost, false);
    }
  });

  it('maps request timeouts and lock timeouts to 504 QueryTimeout', () => {
    const timeout = new sql.RequestError('Timeout: Request failed to complete in 1000ms', 'ETIMEOUT');
    assert.equal(mapDatabaseError(timeout, 1000).error.code, 'QueryTimeout');
    assert.equal(mapDatabaseError(serverError(1222), 1000).error.status, 504);
  });

  it('maps a deadlock victim (1205, class 13) to 409 Deadlock with Retry-After, keeping the pool', () => {
    const mapped = mapDatabaseError(serverError(1205, 'Transaction (Process ID 52) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.'), 1000);
    assert.deepEqual([mapped.error.code, mapped.error.status, mapped.error.headers['Retry-After'], mapped.connectionLost], ['Deadlock', 409, '1', false]);
    assert.equal(mapped.error.toJSON().error.sqlErrorNumber, 1205);
  });

  it('maps login and network failures to 503 with Retry-After and asks for a new pool', () => {
    for (const error of [
      new sql.ConnectionError('Failed to connect to 127.0.0.1:1433 - connect ECONNREFUSED', 'ESOCKET'),
      new sql.ConnectionError("Login failed for user 'sa'.", 'ELOGIN'),
      new sql.RequestError('Connection lost - read ECONNRESET', 'ESOCKET'),
      // A transaction's next statement after the server went away (seen in test/faults).
      new sql.RequestError('Requests can only be made in the LoggedIn state, not the Final state', 'EINVALIDSTATE' as 'EREQUEST'),
      serverError(18456, "Login failed for user 'x'."),
    ]) {
      const mapped = mapDatabaseError(error, 1000);
      assert.equal(mapped.error.code, 'DatabaseUnavailable', error.message);
      assert.equal(mapped.error.headers['Retry-After'], '2');
      assert.equal(mapped.connectionLost, true);
    }
  });

  it('gives a refused login SQL Server\'s number back from its fixed message', () => {
    assert.equal(mapDatabaseError(new sql.ConnectionError("Login failed for user 'sa'.", 'ELOGIN'), 1000).error.toJSON().error.sqlErrorNumber, 18456);
    assert.equal(mapDatabaseError(new sql.ConnectionError('Cannot open database "x" requested by the login.', 'ELOGIN'), 1000).error.toJSON().error.sqlErrorNumber, 4060);
  });

  it('never echoes a password from a driver message', () => {
    const mapped = mapDatabaseError(new sql.ConnectionError('bad string Password=hunter2;User Id=sa', 'EARGS'), 1000);
    assert.doesNotMatch(mapped.error.message, /hunter2/);
  });

  it('maps other SQL Server errors by class: 11–16 → 400 SqlError, 17–19 → 503, 20+ → 503 and a new pool', () => {
    const cases: Array<[number, number, string, number, boolean]> = [
      [50000, 11, 'SqlError', 400, false], [8134, 16, 'SqlError', 400, false], [701, 17, 'DatabaseUnavailable', 503, false],
      [3701, 11, 'SqlError', 400, false], [9002, 19, 'DatabaseUnavailable', 503, false], [50000, 20, 'DatabaseUnavailable', 503, true],
      [824, 24, 'DatabaseUnavailable', 503, true],
    ];
    for (const [number, severity, code, status, lost] of cases) {
      const mapped = mapDatabaseError(serverError(number, `error ${number}`, severity), 1000);
      assert.deepEqual([mapped.error.code, mapped.error.status, mapped.connectionLost], [code, status, lost], `${number} class ${severity}`);
      assert.equal(mapped.error.toJSON().error.sqlErrorNumber, number);
      if (status === 503) assert.equal(mapped.error.headers['Retry-After'], '2');
    }
  });

  it('maps a pool closed under its waiters (tarn\'s bare "aborted") to 503 DatabaseUnavailable, never SqlError', () => {
    const mapped = mapDatabaseError(new Error('aborted'), 1000);
    assert.deepEqual([mapped.error.code, mapped.error.status], ['DatabaseUnavailable', 503]);
    assert.equal(mapped.error.headers['Retry-After'], '2');
  });

  it('answers 400 naming the parameter a procedure needs (error 201)', () => {
    const mapped = mapDatabaseError(serverError(201, "Procedure or function 'GetOrders' expects parameter '@CustomerId', which was not supplied."), 1000);
    assert.deepEqual([mapped.error.code, mapped.error.status], ['BadRequest', 400]);
    assert.equal(mapped.error.toJSON().error.parameter, 'CustomerId');
    assert.match(mapped.error.message, /CustomerId/);
  });

  it('maps anything that is neither a SQL Server error nor a known driver condition to InternalError', () => {
    for (const thrown of [new TypeError('x is not a function'), undefined, 'text']) {
      assert.equal(mapDatabaseError(thrown, 1000).error.code, 'InternalError');
    }
    assert.equal(mapDatabaseError(new sql.RequestError('Validation failed for parameter \'p\'. Invalid number.', 'EPARAM' as 'EREQUEST'), 1000).error.status, 400);
  });
});
