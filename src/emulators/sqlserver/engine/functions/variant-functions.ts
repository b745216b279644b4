/**
 * sql_variant at run time: comparison and ordering by SQL Server's family rules, and
 * SQL_VARIANT_PROPERTY. Arguments are packed variants (variant-value.ts) or NULL.
 */
import { compareVariants, packVariant, unpackVariant, variantFamilyRank, variantProperty } from '../../variant-value';
import { SqlError } from '../../tsql/sql-error';

type Value = null | number | bigint | string | Buffer;

/** An order-preserving byte key: family rank, then the value (numbers as sign-flipped doubles). */
function variantKey(packed: Value): Value {
  const variant = unpackVariant(packed);
  if (!variant) return null;
  const rank = variantFamilyRank(variant.type);
  const { value } = variant;
  let body: Buffer;
  if (typeof value === 'number' || typeof value === 'bigint') {
    body = Buffer.alloc(8);
    body.writeDoubleBE(Number(value));
    if (body[0] & 0x80) for (let i = 0; i < 8; i++) body[i] ^= 0xff;
    else body[0] ^= 0x80;
  } else if (Buffer.isBuffer(value)) body = value;
  else body = Buffer.from(String(value).replace(/ +$/, '').toUpperCase(), 'utf8');
  return Buffer.concat([Buffer.from([rank]), body]);
}

export const VARIANT_FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  hcm_variant_cmp: (left, right) => compareVariants(unpackVariant(left), unpackVariant(right)),
  hcm_variant_key: variantKey,
  hcm_variant_property: (packed, property) => {
    const variant = unpackVariant(packed);
    if (!variant || property === null) return null;
    const result = variantProperty(variant, String(property));
    if (!result) throw new SqlError(8116, 'Argument data type varchar is invalid for argument 2 of sql_variant_property function.', 16, 1);
    return result.value === null ? null : packVariant(result.type, result.value);
  },
};
