/**
 * COLLATION (MS-TDS 2.2.5.1.2): 5 bytes — LCID and comparison flags in 4, then a SortId. The
 * stand-in speaks SQL_Latin1_General_CP1_CI_AS, SQL Server's default: code page 1252, case- and
 * kana-insensitive, accent-sensitive.
 */

/** SQL_Latin1_General_CP1_CI_AS: LCID 0x0409, flags IgnoreCase|IgnoreKana|IgnoreWidth, SortId 52. */
export const DEFAULT_COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);
export const DEFAULT_COLLATION_NAME = 'SQL_Latin1_General_CP1_CI_AS';

/** Bit 0x04 of the fourth byte: the collation stores varchar as UTF-8 (SQL Server 2019 `_UTF8`). */
export function isUtf8Collation(collation: Buffer | undefined): boolean {
  return collation !== undefined && collation.length === 5 && (collation[3] & 0x04) !== 0;
}
