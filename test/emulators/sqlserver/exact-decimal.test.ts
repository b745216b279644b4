/**
 * Exact decimals below the driver: the storage form (a double when it reproduces the value, exact
 * text otherwise), comparison and sort keys, and the TDS encoding of the exact scaled integer,
 * which tedious (a client that turns decimals into numbers) cannot show digit for digit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareExact, formatScaled, readScaled, rescale, sortKey, storedScaled } from '../../../src/emulators/sqlserver/exact-decimal';
import { decodeDecimal } from '../../../src/emulators/sqlserver/protocol/types/value-read';
import { writeValue } from '../../../src/emulators/sqlserver/protocol/types/value-write';
import { BufferWriter } from '../../../src/emulators/sqlserver/protocol/buffer-writer';
import { utcInstant } from '../../../src/emulators/sqlserver/engine/functions/ordering-functions';

const WIDE = '12345678901234567890.1234567891';

function magnitude(bytes: Buffer, from: number, to: number): bigint {
  let value = 0n;
  for (let i = to - 1; i >= from; i--) value = (value << 8n) + BigInt(bytes[i]);
  return value;
}

describe('exact decimals', () => {
  it('keeps everyday values as doubles and wide ones as their exact text', () => {
    assert.equal(storedScaled(readScaled('1.50')!), 1.5);
    assert.equal(storedScaled(rescale(readScaled(WIDE)!, 10)), WIDE);
    assert.equal(storedScaled(rescale(readScaled('-0.1')!, 20)), '-0.10000000000000000000');
    assert.equal(formatScaled(rescale(readScaled('2.675')!, 2)), '2.68', 'half away from zero, in decimal');
    assert.equal(formatScaled(rescale(readScaled('-2.5')!, 0)), '-3');
    assert.equal(formatScaled(readScaled('1.5e3')!), '1500');
    assert.equal(formatScaled(readScaled(1e-7)!), '0.0000001');
    assert.equal(readScaled('abc'), undefined);
  });

  it('compares and sorts a double and an exact text by their numeric values', () => {
    assert.equal(compareExact(WIDE, '12345678901234567890.1234567890'), 1);
    assert.equal(compareExact(1.5, '1.5000000000'), 0);
    assert.equal(compareExact(-3n, 2.5), -1);
    assert.equal(compareExact(null, 1), null);
    const values = ['-12345678901234567890.5', -2, -1.5, '-0.0000000001', 0, 0.25, 1, WIDE, '99999999999999999999999999999999999999'];
    const shuffled = [...values].reverse();
    assert.deepEqual(shuffled.sort((a, b) => (sortKey(a)! < sortKey(b)! ? -1 : 1)), values);
  });

  it('writes decimal(38,10) and money on the wire as their exact scaled integers', () => {
    const decimal = new BufferWriter();
    writeValue(decimal, { name: 'decimal', precision: 38, scale: 10 }, `-${WIDE}`);
    const bytes = decimal.toBuffer();
    assert.deepEqual([bytes[0], bytes[1]], [17, 0], '16 magnitude bytes, negative');
    assert.equal(magnitude(bytes, 2, 18), 123456789012345678901234567891n);
    assert.equal(decodeDecimal(bytes.subarray(1), 10), `-${WIDE}`);
    const money = new BufferWriter();
    writeValue(money, { name: 'money' }, '922337203685477.5807');
    const moneyBytes = money.toBuffer();
    const units = (BigInt(moneyBytes.readInt32LE(1)) << 32n) + BigInt(moneyBytes.readUInt32LE(5));
    assert.equal(units, 9223372036854775807n);
  });

  it('reads a datetimeoffset as the UTC instant it names', () => {
    assert.equal(utcInstant('2024-01-01 01:00:00.0000000 +02:00'), '2023-12-31 23:00:00.0000000');
    assert.equal(utcInstant('2024-12-31 20:00:00.5000000 -05:00'), '2025-01-01 01:00:00.5000000');
    assert.equal(utcInstant('2024-01-01 08:00:00.0000000 +00:00'), utcInstant('2024-01-01 10:00:00.0000000 +02:00'));
  });
});
