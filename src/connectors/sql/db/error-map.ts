/**
 * Maps what mssql/tedious throw to the catalogue (DESIGN "Errors"): unique or foreign-key violation
 * 409, a deadlock victim (1205: rolled back, safe to retry) 409 with Retry-After, unknown object 404, NULL into NOT NULL 400, bad values 400, timeouts 504, login or network
 * failure 503 with Retry-After; sqlErrorNumber is kept. A SQL Server error with no specific code goes
 * by its class (severity): 11–16 are the statement's or its values' fault (400 SqlError), 17 and
 * above are the server's resources or a fatal error (503 DatabaseUnavailable). A failure that is
 * neither a SQL Server error nor a known driver condition is our bug: 500 InternalError, logged by
 * the caller. `connectionLost` tells the pool to replace itself.
 */
import { HcmError, errors, isHcmError } from '../../../common/errors';
import { redactText } from '../../../common/redact';

export const RETRY_AFTER_SECONDS = 2;

export interface MappedError {
  error: HcmError;
  /** The connection (and so maybe the whole pool) is gone: replace the pool. */
  connectionLost: boolean;
}

interface DriverError {
  name?: string;
  code?: string;
  number?: number;
  class?: number;
  message?: string;
  originalError?: DriverError & { info?: DriverError };
  info?: DriverError;
}

/** Input errors SQL Server reports about the caller's values (conversion, overflow, truncation). */
const BAD_VALUE_NUMBERS = new Set([241, 242, 245, 248, 293, 295, 8114, 8115, 8152, 2628, 220, 232, 244, 9455, 9456, 402, 206]);
const PERMISSION_NUMBERS = new Set([229, 230, 262, 297, 300]);
const NETWORK_CODES = new Set(['ESOCKET', 'ECONNCLOSED', 'ECLOSE', 'ENOTOPEN', 'ECONNRESET', 'ECONNREFUSED', 'EINSTLOOKUP', 'ENOCONN', 'ELOGIN']);

export function mapDatabaseError(thrown: unknown, requestTimeoutMs: number): MappedError {
  if (isHcmError(thrown)) return { error: thrown, connectionLost: false };
  const error = (thrown ?? {}) as DriverError;
  const message = redactText(String(error.message ?? 'unknown database error'));
  const number = sqlNumber(error) ?? loginErrorNumber(error);
  if (error.name === 'ConnectionError' || error.name === 'TimeoutError' || isNetworkFailure(error) || number === 18456 || number === 4060) {
    return { error: unavailable(message, number), connectionLost: true };
  }
  if (error.code === 'ETIMEOUT' || number === 1222) {
    return {
      error: new HcmError('QueryTimeout', `The database did not answer within ${requestTimeoutMs} ms.`, { timeoutMs: requestTimeoutMs, sqlErrorNumber: number }),
      connectionLost: false,
    };
  }
  if (number === undefined) return withoutNumber(error, message);
  const own = withOwnCode(number, message);
  if (own) return { error: own, connectionLost: false };
  const severity = sqlClass(error);
  // Class 20 and above end the connection (SQL Server closes it); 17–19 are resource problems.
  if (severity !== undefined && severity >= 17) return { error: unavailable(message, number), connectionLost: severity >= 20 };
  return { error: byNumberFamily(number, message), connectionLost: false };
}

/**
 * A failure without a SQL Server number: tarn rejects the waiters of a pool being closed (the pool
 * was replaced after a connection failure) with a bare Error('aborted') — an outage, not a bug; mssql
 * refuses a parameter value with EPARAM — the caller's value. Anything else is our bug.
 */
function withoutNumber(error: DriverError, message: string): MappedError {
  if (isPoolAbort(error)) return { error: unavailable('the connection pool was closed while the call waited for a connection'), connectionLost: true };
  if (error.code === 'EPARAM') return { error: errors.badRequest(message), connectionLost: false };
  return { error: errors.internal(), connectionLost: false };
}

/** tarn's PendingOperation.abort(): a plain Error whose whole message is 'aborted'. */
export function isPoolAbort(error: DriverError): boolean {
  return String(error.message) === 'aborted' && (error.name === undefined || error.name === 'Error');
}

export function unavailable(message: string, sqlErrorNumber?: number): HcmError {
  return new HcmError(
    'DatabaseUnavailable',
    `The database cannot be reached: ${message}`,
    { sqlErrorNumber },
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  );
}

const DEADLOCK_RETRY_AFTER_SECONDS = 1;

/** Numbers with a code of their own, whatever their class. */
function withOwnCode(number: number, message: string): HcmError | undefined {
  const details = { sqlErrorNumber: number };
  if (number === 201) return missingParameter(message);
  if (number === 2627 || number === 2601) return new HcmError('UniqueViolation', message, details);
  if (number === 547) return new HcmError('ForeignKeyViolation', message, details);
  if (number === 1205) return new HcmError('Deadlock', message, details, { 'Retry-After': String(DEADLOCK_RETRY_AFTER_SECONDS) });
  if (number === 515) return new HcmError('NullNotAllowed', message, details);
  if (number === 208) return new HcmError('ObjectNotFound', message, details);
  if (number === 207) return new HcmError('ColumnNotFound', message, details);
  if (number === 2812) return new HcmError('ProcedureNotFound', message, details);
  return undefined;
}

/** Class 11–16 errors: the caller's values, a permission, or any other statement error. */
function byNumberFamily(number: number, message: string): HcmError {
  const details = { sqlErrorNumber: number };
  if (BAD_VALUE_NUMBERS.has(number)) return new HcmError('BadRequest', message, details);
  if (PERMISSION_NUMBERS.has(number)) return new HcmError('PermissionDenied', message, details);
  return new HcmError('SqlError', message, details);
}

/** Error 201: "Procedure or function 'p' expects parameter '@x', which was not supplied." */
function missingParameter(message: string): HcmError {
  const parameter = /expects parameter '@?([^']{1,128})'/.exec(message)?.[1];
  const text = parameter ? `The procedure needs parameter '${parameter}'; give it in the JSON body.` : message;
  return new HcmError('BadRequest', text, { sqlErrorNumber: 201, parameter });
}

function sqlClass(error: DriverError): number | undefined {
  const candidates = [error.class, error.originalError?.info?.class, error.originalError?.class, error.info?.class];
  return candidates.find((n): n is number => typeof n === 'number');
}

function sqlNumber(error: DriverError): number | undefined {
  const candidates = [error.number, error.originalError?.number, error.originalError?.info?.number];
  return candidates.find((n): n is number => typeof n === 'number');
}

/**
 * tedious reports a refused login as ConnectionError ELOGIN without SQL Server's number; the
 * server's fixed message texts give it back (18456 login failed, 4060 cannot open database).
 */
function loginErrorNumber(error: DriverError): number | undefined {
  if (error.code !== 'ELOGIN' && error.originalError?.code !== 'ELOGIN') return undefined;
  const message = String(error.message ?? '');
  if (/^Login failed for user /.test(message)) return 18456;
  if (/^Cannot open database /.test(message)) return 4060;
  return undefined;
}

/** A request that failed because its connection broke arrives as a RequestError wrapping a socket error. */
function isNetworkFailure(error: DriverError): boolean {
  const codes = [error.code, error.originalError?.code, error.originalError?.info?.code, error.info?.code];
  if (codes.some((c) => c !== undefined && NETWORK_CODES.has(c))) return true;
  // tedious refuses a request on a connection that already closed (its state machine is Final):
  // a transaction's statement after the server went away.
  return /connection (lost|closed|is closed|ended)|socket hang up|ECONNRESET|ECONNREFUSED|not the Final state/i.test(String(error.message ?? ''));
}
