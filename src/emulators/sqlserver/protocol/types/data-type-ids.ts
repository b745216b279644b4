/**
 * Data type identifiers of TYPE_INFO (MS-TDS 2.2.5.4.1 fixed-length, 2.2.5.4.2 variable-length,
 * 2.2.5.4.3 partially length-prefixed).
 */
export const DataTypeId = {
  // 2.2.5.4.1 fixed-length
  Null: 0x1f,
  Int1: 0x30,
  Bit: 0x32,
  Int2: 0x34,
  Int4: 0x38,
  DateTim4: 0x3a,
  Flt4: 0x3b,
  Money: 0x3c,
  DateTime: 0x3d,
  Flt8: 0x3e,
  Money4: 0x7a,
  Int8: 0x7f,
  // 2.2.5.4.2 variable-length, BYTELEN
  Guid: 0x24,
  IntN: 0x26,
  Decimal: 0x37,
  Numeric: 0x3f,
  BitN: 0x68,
  DecimalN: 0x6a,
  NumericN: 0x6c,
  FltN: 0x6d,
  MoneyN: 0x6e,
  DateTimN: 0x6f,
  DateN: 0x28,
  TimeN: 0x29,
  DateTime2N: 0x2a,
  DateTimeOffsetN: 0x2b,
  Char: 0x2f,
  VarChar: 0x27,
  Binary: 0x2d,
  VarBinary: 0x25,
  // USHORTLEN
  BigVarBinary: 0xa5,
  BigVarChar: 0xa7,
  BigBinary: 0xad,
  BigChar: 0xaf,
  NVarChar: 0xe7,
  NChar: 0xef,
  // LONGLEN and PLP-only
  Xml: 0xf1,
  Udt: 0xf0,
  Text: 0x23,
  Image: 0x22,
  NText: 0x63,
  SsVariant: 0x62,
  Tvp: 0xf3,
} as const;

/** 2.2.5.4.2: USHORTLEN max length meaning "(max)", values then travel as PLP (2.2.5.2.3). */
export const USHORT_MAX = 0xffff;
/** 2.2.5.2.3 PLP_NULL and UNKNOWN_PLP_LEN. */
export const PLP_NULL = 0xffffffffffffffffn;
export const PLP_UNKNOWN_LENGTH = 0xfffffffffffffffen;
/** 2.2.7.4 COLMETADATA: "no metadata" column count. */
export const NO_METADATA = 0xffff;
