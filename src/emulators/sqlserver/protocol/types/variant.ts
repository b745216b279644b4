/**
 * sql_variant values (MS-TDS 2.2.5.5.4): a LONGLEN total, then the base type (TYPE_VARBYTE) —
 * BaseType, PropBytes, the type's properties — and the value's bytes without their length
 * prefix. NULL is a total of 0. Fixed-length bases use the fixed type ids (INT4, FLT8, DATETIME…).
 */
import { BufferWriter } from '../buffer-writer';
import { DataTypeId } from './data-type-ids';
import { collationInfo } from './code-page';
import type { SqlType, SqlTypeName, StoredValue } from '../../sql-type';
import { unpackVariant } from '../../variant-value';

const FIXED_BASES: Partial<Record<SqlTypeName, number>> = {
  tinyint: DataTypeId.Int1, smallint: DataTypeId.Int2, int: DataTypeId.Int4, bigint: DataTypeId.Int8,
  bit: DataTypeId.Bit, real: DataTypeId.Flt4, float: DataTypeId.Flt8, money: DataTypeId.Money,
  smallmoney: DataTypeId.Money4, datetime: DataTypeId.DateTime, smalldatetime: DataTypeId.DateTim4,
};

const STRING_BASES: Partial<Record<SqlTypeName, number>> = {
  varchar: DataTypeId.BigVarChar, char: DataTypeId.BigChar, nvarchar: DataTypeId.NVarChar, nchar: DataTypeId.NChar,
  varbinary: DataTypeId.BigVarBinary, binary: DataTypeId.BigBinary,
};

const SCALED_BASES: Partial<Record<SqlTypeName, number>> = {
  time: DataTypeId.TimeN, datetime2: DataTypeId.DateTime2N, datetimeoffset: DataTypeId.DateTimeOffsetN,
};

type WriteValue = (writer: BufferWriter, type: SqlType, value: StoredValue, fixed?: boolean) => void;

/** `writeValue` is passed in (value-write.ts calls this file) to keep the modules acyclic. */
export function writeVariant(writer: BufferWriter, type: SqlType, value: StoredValue, writeValue: WriteValue): void {
  if (value === null) return void writer.uint32le(0);
  // A packed variant (variant-value.ts) names its base type; a bare value is of the static type.
  const packed = unpackVariant(value);
  if (packed) return writeVariant(writer, { ...packed.type, variant: true }, packed.value, writeValue);
  const base: SqlType = { ...type, variant: false };
  const inner = new BufferWriter(32);
  const props = new BufferWriter(8);
  let baseId: number;
  let prefix: number;
  const fixedId = FIXED_BASES[base.name];
  if (fixedId !== undefined) {
    baseId = fixedId;
    writeValue(inner, base, value, true);
    prefix = 0;
  } else if (STRING_BASES[base.name] !== undefined) {
    baseId = STRING_BASES[base.name]!;
    const bounded = { ...base, length: base.length === undefined || base.length < 0 ? 8000 : base.length };
    writeValue(inner, bounded, value);
    prefix = 2;
    const unicode = base.name === 'nvarchar' || base.name === 'nchar';
    if (base.name !== 'varbinary' && base.name !== 'binary') props.bytes(collationInfo(base.collation).bytes);
    props.uint16le(Math.min(8000, unicode ? bounded.length! * 2 : bounded.length!));
  } else if (base.name === 'decimal' || base.name === 'numeric') {
    baseId = base.name === 'decimal' ? DataTypeId.DecimalN : DataTypeId.NumericN;
    writeValue(inner, base, value);
    prefix = 1;
    props.uint8(base.precision ?? 18).uint8(base.scale ?? 0);
  } else if (SCALED_BASES[base.name] !== undefined) {
    baseId = SCALED_BASES[base.name]!;
    writeValue(inner, base, value);
    prefix = 1;
    props.uint8(base.scale ?? 7);
  } else if (base.name === 'date' || base.name === 'uniqueidentifier') {
    baseId = base.name === 'date' ? DataTypeId.DateN : DataTypeId.Guid;
    writeValue(inner, base, value);
    prefix = 1;
  } else {
    // text, xml, (max) and rowversion cannot live in a sql_variant; send their text as nvarchar.
    return writeVariant(writer, { name: 'nvarchar', length: 4000 }, value, writeValue);
  }
  const data = inner.toBuffer().subarray(prefix);
  const properties = props.toBuffer();
  writer.uint32le(2 + properties.length + data.length).uint8(baseId).uint8(properties.length).bytes(properties).bytes(data);
}
