/**
 * TDS versions (MS-TDS 2.2.6.4 TDSVersion, 2.2.7.14 LOGINACK) and the layout differences between
 * them that the stand-in honours. The values compare in protocol order, so `>=` works.
 *  - 7.1: no ALL_HEADERS in requests, USHORT UserType and line numbers, 4-byte DONE row counts,
 *    no transaction ENVCHANGEs, no PLP types: (max) types travel as text/ntext/image.
 *  - 7.2: ALL_HEADERS, PLP (max) types, xml, transaction ENVCHANGEs.
 *  - 7.3: date, time, datetime2, datetimeoffset (before: sent to the client as nvarchar).
 */
export const TdsVersion = {
  V7_1: 0x71000001,
  V7_2: 0x72090002,
  V7_3A: 0x730a0003,
  V7_3B: 0x730b0003,
  V7_4: 0x74000004,
} as const;

/** The newest version; what token writers assume when not told. */
export const LATEST_TDS_VERSION: number = TdsVersion.V7_4;

/** 7.2 brought ALL_HEADERS, PLP, ULONG UserType, 8-byte row counts and transaction ENVCHANGEs. */
export function hasPlpAndHeaders(tdsVersion: number): boolean {
  return tdsVersion >= TdsVersion.V7_2;
}

/** 7.3 brought the date, time, datetime2 and datetimeoffset wire types. */
export function hasNewDateTypes(tdsVersion: number): boolean {
  return tdsVersion >= TdsVersion.V7_3A;
}
