/**
 * sys.dm_exec_sessions: one row per live session with SQL Server's column names and types, read
 * from each session's SET options (so a client can check what its login and SET batch did).
 * sys.dm_exec_connections: one row per connection — its TDS version and whether TLS carries it.
 */
import type { SqlType, StoredValue } from '../sql-type';
import { OPTION_BITS, SessionOptions } from './session-options';

export interface SessionSnapshot {
  spid: number;
  login: string;
  hostName: string;
  appName: string;
  loginTime: string;
  options: SessionOptions;
  isolationLevel: number;
  openTransactions: number;
  rowCount: number;
  busy: boolean;
}

const BIT: SqlType = { name: 'bit' };
const NV128: SqlType = { name: 'nvarchar', length: 128 };

export const DM_EXEC_SESSIONS_COLUMNS: Array<[string, SqlType]> = [
  ['session_id', { name: 'smallint' }], ['login_time', { name: 'datetime' }], ['host_name', NV128], ['program_name', NV128],
  ['login_name', NV128], ['status', { name: 'nvarchar', length: 30 }], ['language', NV128], ['date_format', { name: 'nvarchar', length: 3 }],
  ['date_first', { name: 'smallint' }], ['quoted_identifier', BIT], ['arithabort', BIT], ['ansi_null_dflt_on', BIT], ['ansi_defaults', BIT],
  ['ansi_warnings', BIT], ['ansi_padding', BIT], ['ansi_nulls', BIT], ['concat_null_yields_null', BIT], ['transaction_isolation_level', { name: 'smallint' }],
  ['lock_timeout', { name: 'int' }], ['deadlock_priority', { name: 'int' }], ['row_count', { name: 'bigint' }], ['text_size', { name: 'int' }],
  ['is_user_process', BIT], ['open_transaction_count', { name: 'int' }], ['database_id', { name: 'smallint' }],
];

export function dmExecSessionsRow(s: SessionSnapshot): StoredValue[] {
  const on = (name: string) => ((s.options.flags & OPTION_BITS[name]) !== 0 ? 1 : 0);
  const ansiDefaults = ['ANSI_NULLS', 'ANSI_NULL_DFLT_ON', 'ANSI_PADDING', 'ANSI_WARNINGS', 'CURSOR_CLOSE_ON_COMMIT', 'IMPLICIT_TRANSACTIONS', 'QUOTED_IDENTIFIER'].every((n) => on(n) === 1);
  return [s.spid, s.loginTime, s.hostName, s.appName, s.login, s.busy ? 'running' : 'sleeping', s.options.language.name, s.options.dateFormat,
    s.options.dateFirst, on('QUOTED_IDENTIFIER'), on('ARITHABORT'), on('ANSI_NULL_DFLT_ON'), ansiDefaults ? 1 : 0, on('ANSI_WARNINGS'),
    on('ANSI_PADDING'), on('ANSI_NULLS'), on('CONCAT_NULL_YIELDS_NULL'), s.isolationLevel, s.options.lockTimeout, s.options.deadlockPriority ?? 0, BigInt(s.rowCount),
    s.options.textSize, 1, s.openTransactions, 5];
}

export const DM_EXEC_CONNECTIONS_COLUMNS: Array<[string, SqlType]> = [
  ['session_id', { name: 'int' }], ['most_recent_session_id', { name: 'int' }], ['connect_time', { name: 'datetime' }],
  ['net_transport', { name: 'nvarchar', length: 40 }], ['protocol_type', { name: 'nvarchar', length: 40 }], ['protocol_version', { name: 'int' }],
  ['encrypt_option', { name: 'nvarchar', length: 40 }], ['auth_scheme', { name: 'nvarchar', length: 40 }], ['net_packet_size', { name: 'int' }],
  ['client_net_address', { name: 'varchar', length: 48 }], ['local_net_address', { name: 'varchar', length: 48 }],
];

export interface ConnectionSnapshot {
  spid: number;
  connectTime: string;
  /** LOGIN7's TDS version, which SQL Server reports as protocol_version (e.g. 1946157060 for 7.4). */
  tdsVersion?: number;
  encrypted: boolean;
  packetSize: number;
}

export function dmExecConnectionsRow(c: ConnectionSnapshot): StoredValue[] {
  return [c.spid, c.spid, c.connectTime, 'TCP', 'TSQL', c.tdsVersion ?? null, c.encrypted ? 'TRUE' : 'FALSE', 'SQL', c.packetSize, '127.0.0.1', '127.0.0.1'];
}

/**
 * sys.dm_tran_locks: the stand-in locks whole tables (OBJECT) and the database (DATABASE, IX for a
 * transaction that wrote, X for DDL inside a transaction); every lock belongs to a transaction.
 */
export const DM_TRAN_LOCKS_COLUMNS: Array<[string, SqlType]> = [
  ['resource_type', { name: 'nvarchar', length: 60 }], ['resource_database_id', { name: 'int' }], ['resource_associated_entity_id', { name: 'bigint' }],
  ['request_mode', { name: 'nvarchar', length: 60 }], ['request_type', { name: 'nvarchar', length: 60 }], ['request_status', { name: 'nvarchar', length: 60 }],
  ['request_session_id', { name: 'int' }], ['request_owner_type', { name: 'nvarchar', length: 60 }],
];

export function dmTranLocksRow(lock: { type: string; objectId: number; mode: string; status: string; spid: number }): StoredValue[] {
  return [lock.type, 5, BigInt(lock.objectId), lock.mode, 'LOCK', lock.status, lock.spid, 'TRANSACTION'];
}
