/**
 * RPC Request (MS-TDS 2.2.6.6): ALL_HEADERS, then one or more calls, each a procedure name (or
 * the id of a special procedure such as sp_executesql), option flags and parameters — name,
 * status flags (OUTPUT, default), TYPE_INFO and value. Calls are separated by a batch flag.
 */
import { readAllHeaders, AllHeaders } from './all-headers';
import { hasNewDateTypes, LATEST_TDS_VERSION } from '../tds-version';
import { readBVarChar, readUInt16LE, readUInt8, readUsVarChar } from '../buffer-readers';
import { readTypeInfo, TypeInfo, UnsupportedTypeError } from '../types/type-info';
import { readValue } from '../types/value-read';
import { readTvpValue, TvpValue } from '../types/tvp-read';
import { DataTypeId } from '../types/data-type-ids';
import type { StoredValue } from '../../sql-type';

/** 2.2.6.6 ProcID values of the special stored procedures. */
export const SpecialProcedure = {
  Cursor: 1, CursorOpen: 2, CursorPrepare: 3, CursorExecute: 4, CursorPrepExec: 5, CursorUnprepare: 6,
  CursorFetch: 7, CursorOption: 8, CursorClose: 9, ExecuteSql: 10, Prepare: 11, Execute: 12,
  PrepExec: 13, PrepExecRpc: 14, Unprepare: 15,
} as const;

export const SPECIAL_PROCEDURE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(SpecialProcedure).map(([name, id]) => [id, `sp_${name.toLowerCase()}`]),
);

/** 2.2.6.6 StatusFlags of a parameter. */
export const ParameterStatus = { ByRefValue: 0x01, DefaultValue: 0x02, Encrypted: 0x08 } as const;

/** 2.2.6.6 separators between calls: BatchFlag (0x80 before TDS 7.2, 0xFF after), NoExecFlag. */
const BATCH_FLAGS = new Set([0x80, 0xff, 0xfe]);
const PROC_ID_MARKER = 0xffff;

export interface RpcParameter {
  /** Without the leading '@'; empty for positional parameters. */
  name: string;
  output: boolean;
  useDefault: boolean;
  typeInfo: TypeInfo;
  value: StoredValue;
  /** A table-valued parameter's columns and rows (null: TVP_NULL_TOKEN). */
  table?: TvpValue | null;
}

export interface RpcCall {
  procedureName?: string;
  procedureId?: number;
  optionFlags: number;
  parameters: RpcParameter[];
}

export interface RpcRequest {
  headers: AllHeaders;
  calls: RpcCall[];
}

export function readRpcRequest(payload: Buffer, tdsVersion: number = LATEST_TDS_VERSION): RpcRequest {
  const { value: headers, offset: start } = readAllHeaders(payload, 0, tdsVersion);
  const calls: RpcCall[] = [];
  let offset = start;
  while (offset < payload.length) {
    const call = readCall(payload, offset, tdsVersion);
    calls.push(call.value);
    offset = call.offset;
    if (offset < payload.length && BATCH_FLAGS.has(payload[offset])) offset += 1;
  }
  if (calls.length === 0) throw new RangeError('The RPC request names no procedure.');
  return { headers, calls };
}

function readCall(payload: Buffer, start: number, tdsVersion: number): { value: RpcCall; offset: number } {
  let offset = start;
  const call: RpcCall = { optionFlags: 0, parameters: [] };
  const { value: nameLength } = readUInt16LE(payload, offset);
  if (nameLength === PROC_ID_MARKER) {
    ({ value: call.procedureId, offset } = readUInt16LE(payload, offset + 2));
  } else {
    ({ value: call.procedureName, offset } = readUsVarChar(payload, offset));
  }
  ({ value: call.optionFlags, offset } = readUInt16LE(payload, offset));
  while (offset < payload.length && !BATCH_FLAGS.has(payload[offset])) {
    let name, status, typeInfo, value;
    ({ value: name, offset } = readBVarChar(payload, offset));
    ({ value: status, offset } = readUInt8(payload, offset));
    ({ value: typeInfo, offset } = readTypeInfo(payload, offset));
    let table: TvpValue | null | undefined;
    if (typeInfo.id === DataTypeId.Tvp) {
      // TVPTYPE came with TDS 7.3 (MS-TDS 2.2.5.5.5); an older client has no such type.
      if (!hasNewDateTypes(tdsVersion)) throw new UnsupportedTypeError('The SQL Server stand-in does not support table-valued parameters before TDS 7.3.');
      ({ value: table, offset } = readTvpValue(payload, offset, readTypeInfo, readValue));
      value = null;
    } else ({ value, offset } = readValue(payload, offset, typeInfo));
    call.parameters.push({
      table,
      name: name.startsWith('@') ? name.slice(1) : name,
      output: (status & ParameterStatus.ByRefValue) !== 0,
      useDefault: (status & ParameterStatus.DefaultValue) !== 0,
      typeInfo,
      value,
    });
  }
  return { value: call, offset };
}
