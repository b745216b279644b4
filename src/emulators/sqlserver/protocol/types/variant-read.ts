/**
 * Reading a sql_variant value (MS-TDS 2.2.5.5.4) a client sends — an RPC parameter of type
 * SSVARIANT (SqlClient's SqlDbType.Variant) or a bulk-loaded sql_variant column: BaseType,
 * PropBytes, the properties, then the value's bytes. The properties are the base type's TYPE_INFO
 * in another order, so they are rebuilt into one and read by readTypeInfo; the value becomes a
 * packed variant (variant-value.ts) that keeps its base type.
 */
import { DataTypeId } from './data-type-ids';
import { readTypeInfo, TypeInfo } from './type-info';
import { packVariant } from '../../variant-value';
import type { StoredValue } from '../../sql-type';

const STRING_IDS = new Set<number>([DataTypeId.BigVarChar, DataTypeId.BigChar, DataTypeId.NVarChar, DataTypeId.NChar]);
const DECIMAL_IDS = new Set<number>([DataTypeId.DecimalN, DataTypeId.NumericN]);
/** The largest decimal's value bytes (sign + 16), a length that fits any precision. */
const DECIMAL_LENGTH = 17;

export function decodeVariant(bytes: Buffer, decodeBase: (bytes: Buffer, info: TypeInfo) => StoredValue): StoredValue {
  if (bytes.length === 0) return null; // 2.2.5.5.4: a NULL variant is a total length of 0
  if (bytes.length < 2) throw new RangeError(`A sql_variant value of ${bytes.length} bytes has no base type.`);
  const baseId = bytes[0];
  const propLength = bytes[1];
  const props = bytes.subarray(2, 2 + propLength);
  const data = bytes.subarray(2 + propLength);
  let typeInfo: Buffer;
  if (STRING_IDS.has(baseId)) {
    if (propLength !== 7) throw new RangeError(`A sql_variant string carries ${propLength} property bytes, not 7.`);
    typeInfo = Buffer.concat([Buffer.from([baseId]), props.subarray(5, 7), props.subarray(0, 5)]);
  } else if (DECIMAL_IDS.has(baseId)) typeInfo = Buffer.concat([Buffer.from([baseId, DECIMAL_LENGTH]), props]);
  else if (baseId === DataTypeId.Guid) typeInfo = Buffer.from([baseId, 16]);
  else typeInfo = Buffer.concat([Buffer.from([baseId]), props]);
  const { value: info } = readTypeInfo(typeInfo, 0);
  if (info.sqlType.variant) throw new RangeError('A sql_variant cannot hold a sql_variant.');
  return packVariant(info.sqlType, decodeBase(data, info));
}
