/**
 * PRELOGIN and LOGIN7 handling: the stand-in answers PRELOGIN's encryption question (below), checks SQL
 * authentication against its configured logins (18456 "Login failed for user '…'." otherwise),
 * opens the requested database (4060 for any other) and answers as SQL Server does: ENVCHANGE
 * database/collation/language/packet size, INFO 5701/5703, LOGINACK, DONE.
 */
import { readPrelogin, writePrelogin, Encryption } from '../protocol/payloads/prelogin';
import { FeatureId, LoginFlags, Login7, readLogin7 } from '../protocol/payloads/login7';
import { EnvChangeType, writeBinaryEnvChange, writeTextEnvChange } from '../protocol/tokens/env-change';
import { writeServerMessage } from '../protocol/tokens/info-error';
import { TdsVersion, writeLoginAck } from '../protocol/tokens/login-ack';
import { DoneStatus, writeDone } from '../protocol/tokens/done';
import { DEFAULT_COLLATION } from '../protocol/types/collation';
import { MAX_PACKET_SIZE, MIN_PACKET_SIZE } from '../protocol/packet';
import { SqlError, sqlErrors } from '../tsql/sql-error';

export const SERVER_VERSION = { major: 16, minor: 0, build: 1000, subBuild: 6 };
export const PROGRAM_NAME = 'Microsoft SQL Server';

/** What PRELOGIN settled: no TLS, TLS for the LOGIN7 packet only, or TLS for the whole connection. */
export type EncryptionMode = 'none' | 'login' | 'full';

/**
 * 2.2.6.5 encryption negotiation, as SQL Server (which always has a certificate) answers it when
 * it does not force encryption:
 *   client ON or REQ → ON: TLS for the whole connection;
 *   client OFF       → OFF: TLS for the LOGIN7 packet only (3.3.5.1), then plain TDS again;
 *   client NOT_SUP   → NOT_SUP: no TLS at all.
 * Started without a certificate the stand-in answers NOT_SUP to everyone, and a client that
 * required encryption is refused at login (it should not have sent one; see `login`).
 */
export function preloginResponse(payload: Buffer, canEncrypt = false): { response: Buffer; clientWantsEncryption: boolean; mode: EncryptionMode } {
  const request = readPrelogin(payload);
  const clientWantsEncryption = request.encryption === Encryption.On || request.encryption === Encryption.Required;
  let answer: number = Encryption.NotSupported;
  let mode: EncryptionMode = 'none';
  if (canEncrypt && clientWantsEncryption) [answer, mode] = [Encryption.On, 'full'];
  else if (canEncrypt && request.encryption === Encryption.Off) [answer, mode] = [Encryption.Off, 'login'];
  return { response: writePrelogin({ version: SERVER_VERSION, encryption: answer }), clientWantsEncryption, mode };
}

export interface LoginSettings {
  logins: Array<{ user: string; password: string }>;
  database: string;
  serverName: string;
  clientWantsEncryption: boolean;
  /** True when the connection is already inside TLS. */
  encrypted?: boolean;
}

export type LoginOutcome =
  | { ok: true; login: Login7; response: Buffer; packetSize: number; tdsVersion: number }
  | { ok: false; response: Buffer; reason: string };

const KNOWN_VERSIONS = [...new Set<number>(Object.values(TdsVersion))].sort((a, b) => b - a);

/** The newest version the stand-in speaks that is not newer than the client's (7.1 at the least). */
function negotiatedVersion(requested: number): number {
  return KNOWN_VERSIONS.find((version) => version <= requested) ?? TdsVersion.V7_1;
}

function messageToken(error: SqlError, serverName: string, tdsVersion: number): Buffer {
  return writeServerMessage({ number: error.number, state: error.state, severity: error.severity, message: error.message, serverName, procName: '', lineNumber: 1 }, tdsVersion);
}

function failure(errors: SqlError[], serverName: string, reason: string, tdsVersion: number): LoginOutcome {
  const tokens = errors.map((e) => messageToken(e, serverName, tdsVersion));
  tokens.push(writeDone({ kind: 'done', status: DoneStatus.Error, command: 0, rowCount: 0n }, tdsVersion));
  return { ok: false, response: Buffer.concat(tokens), reason };
}

export function login(payload: Buffer, settings: LoginSettings): LoginOutcome {
  const request = readLogin7(payload);
  const tdsVersion = negotiatedVersion(request.tdsVersion);
  const { serverName } = settings;
  if (settings.clientWantsEncryption && !settings.encrypted) {
    const error = new SqlError(18456, "Login failed: the client asked for encryption, which this SQL Server stand-in was started without (no certificate). Connect with 'encrypt: false' (Encrypt=false), or give the stand-in a certificate (SqlServerStandInOptions.tls; hcm sqlserver always has one).", 14, 1);
    return failure([error], serverName, 'client required encryption', tdsVersion);
  }
  if ((request.optionFlags2 & LoginFlags.Flags2IntegratedSecurity) || request.sspiLength > 0) {
    return failure([new SqlError(18452, 'Login failed. The login is from an untrusted domain and cannot be used with Integrated authentication.', 14, 1)], serverName, 'integrated authentication', tdsVersion);
  }
  if (request.features.includes(FeatureId.FedAuth)) {
    return failure([new SqlError(18456, 'Login failed: the SQL Server stand-in supports SQL authentication only (no Microsoft Entra ID).', 14, 1)], serverName, 'federated authentication', tdsVersion);
  }
  const known = settings.logins.find((l) => l.user.toLowerCase() === request.userName.toLowerCase());
  if (!known || known.password !== request.password) {
    return failure([sqlErrors.loginFailed(request.userName)], serverName, known ? 'wrong password' : 'unknown login', tdsVersion);
  }
  const database = request.database || settings.database;
  if (database.toLowerCase() !== settings.database.toLowerCase()) {
    return failure([sqlErrors.cannotOpenDatabase(database), sqlErrors.loginFailed(request.userName)], serverName, `unknown database ${database}`, tdsVersion);
  }
  const packetSize = Math.min(MAX_PACKET_SIZE, Math.max(MIN_PACKET_SIZE, request.packetSize || 4096));
  const info = (number: number, message: string) => writeServerMessage({ number, state: 1, severity: 0, message, serverName, procName: '', lineNumber: 1 }, tdsVersion);
  const response = Buffer.concat([
    writeTextEnvChange(EnvChangeType.Database, settings.database, 'master'),
    info(5701, `Changed database context to '${settings.database}'.`),
    writeBinaryEnvChange(EnvChangeType.SqlCollation, DEFAULT_COLLATION, Buffer.alloc(0)),
    writeTextEnvChange(EnvChangeType.Language, 'us_english', ''),
    info(5703, 'Changed language setting to us_english.'),
    writeLoginAck({
      tdsVersion, programName: PROGRAM_NAME,
      version: { major: SERVER_VERSION.major, minor: SERVER_VERSION.minor, buildHigh: SERVER_VERSION.build >> 8, buildLow: SERVER_VERSION.build & 0xff },
    }),
    writeTextEnvChange(EnvChangeType.PacketSize, String(packetSize), String(request.packetSize || 4096)),
    writeDone({ kind: 'done', status: DoneStatus.Final, command: 0, rowCount: 0n }, tdsVersion),
  ]);
  return { ok: true, login: { ...request, database, password: '' }, response, packetSize, tdsVersion };
}
