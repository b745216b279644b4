/**
 * Character strings to dates by SQL Server's documented rules, below the driver: every DATEFORMAT
 * order, two-digit years (cutoff 2049), month names per language, the 3-digit fraction limit of
 * datetime/smalldatetime, offsets, and the 241/242 split. The integration suite checks the same
 * rules through mssql; these cover the combinations one by one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateSettings, parseDateString } from '../../../src/emulators/sqlserver/date-string';
import { findLanguage, US_ENGLISH } from '../../../src/emulators/sqlserver/languages';
import { toStoredTemporal } from '../../../src/emulators/sqlserver/temporal';
import type { SqlType } from '../../../src/emulators/sqlserver/sql-type';

const DATETIME: SqlType = { name: 'datetime' };
const DATE: SqlType = { name: 'date' };
const DATETIME2: SqlType = { name: 'datetime2', scale: 7 };
const OFFSET: SqlType = { name: 'datetimeoffset', scale: 7 };

function settings(dateFormat: DateSettings['dateFormat'] = 'mdy', language = US_ENGLISH): DateSettings {
  return { dateFormat, language };
}

function as(type: SqlType, text: string, with_: DateSettings = settings()): string {
  return toStoredTemporal(type, parseDateString(text, type, with_));
}

function refused(type: SqlType, text: string, number: number, with_: DateSettings = settings()): void {
  assert.throws(() => parseDateString(text, type, with_), (error: { number: number }) => error.number === number, `${text} as ${type.name}`);
}

describe('date strings', () => {
  it('reads numeric dates in each DATEFORMAT order', () => {
    const orders: Array<[DateSettings['dateFormat'], string]> = [
      ['mdy', '3/4/2024'], ['dmy', '4/3/2024'], ['ymd', '2024/3/4'], ['ydm', '2024/4/3'], ['myd', '3/2024/4'], ['dym', '4/2024/3'],
    ];
    for (const [order, text] of orders) assert.equal(as(DATETIME, text, settings(order)), '2024-03-04 00:00:00.0000000', order);
  });

  it("finds a four-digit year where it stands, keeping DATEFORMAT's month/day order for datetime and ymd for the newer types", () => {
    assert.equal(as(DATETIME, '2024-05-01', settings('dmy')), '2024-01-05 00:00:00.0000000');
    assert.equal(as(DATE, '2024-05-01', settings('dmy')), '2024-05-01');
    assert.equal(as(DATETIME2, '2024-05-01 10:00', settings('dmy')), '2024-05-01 10:00:00.0000000');
    refused(DATE, '2024-05-01', 241, settings('ydm'));
  });

  it('reads two-digit years with the 2049 cutoff, unseparated forms and a lone year', () => {
    assert.equal(as(DATE, '1/2/49'), '2049-01-02');
    assert.equal(as(DATE, '1/2/50'), '1950-01-02');
    assert.equal(as(DATE, '240102'), '2024-01-02');
    assert.equal(as(DATE, '20240102'), '2024-01-02');
    assert.equal(as(DATETIME, '2024'), '2024-01-01 00:00:00.0000000');
  });

  it('reads alphabetic dates in the session language only', () => {
    assert.equal(as(DATE, 'Apr 15 1996'), '1996-04-15');
    assert.equal(as(DATE, '15 April, 96'), '1996-04-15');
    assert.equal(as(DATE, '1996 APR 15'), '1996-04-15');
    assert.equal(as(DATE, 'April 1996'), '1996-04-01');
    const german = settings('dmy', findLanguage('Deutsch'));
    assert.equal(as(DATE, '15 März 1996', german), '1996-03-15');
    refused(DATE, '15 March 1996', 241, german);
    assert.equal(findLanguage('german')?.name, 'Deutsch', 'SET LANGUAGE takes the alias too');
  });

  it('reads times before or after the date, with AM/PM and milliseconds after a colon', () => {
    assert.equal(as(DATETIME, '2011-12-4 10:04:23'), '2011-12-04 10:04:23.0000000');
    assert.equal(as(DATETIME, '10:04 PM 1/5/2024'), '2024-01-05 22:04:00.0000000');
    assert.equal(as(DATETIME, '1/5/2024 4am'), '2024-01-05 04:00:00.0000000');
    assert.equal(as(DATETIME, '1/5/2024 12:00:00:5'), '2024-01-05 12:00:00.0066667', '5 ms, rounded to 1/300 s');
    assert.equal(as(DATETIME, '10:30'), '1900-01-01 10:30:00.0000000');
    refused(DATETIME, '1/5/2024 13:00 PM', 241);
  });

  it('limits datetime and smalldatetime to 3 fraction digits and an ISO Z; the newer types take 7 digits and offsets', () => {
    refused(DATETIME, '2024-01-01 10:00:00.1234', 241);
    refused({ name: 'smalldatetime' }, '2024-01-01 10:00:00.1234', 241);
    refused(DATETIME, '2024-01-01T10:00:00+02:00', 241);
    assert.equal(as(DATETIME, '2024-01-01T10:00:00Z'), '2024-01-01 10:00:00.0000000');
    assert.equal(as(DATETIME2, '2024-01-01 10:00:00.1234567'), '2024-01-01 10:00:00.1234567');
    refused(DATETIME2, '2024-01-01 10:00:00.12345678', 241);
    assert.equal(as(OFFSET, '2024-01-01T10:00:00.5+02:00'), '2024-01-01 10:00:00.5000000 +02:00');
  });

  it('answers 242 for a datetime/smalldatetime out of range or a day its month lacks, 241 for the newer types', () => {
    refused(DATETIME, '1752-12-31', 242);
    refused(DATETIME, '2/30/2024', 242);
    refused({ name: 'smalldatetime' }, '2079-06-07', 242);
    refused(DATE, '2/30/2024', 241);
    assert.equal(as(DATE, '0001-01-01'), '0001-01-01');
    refused(DATE, 'yesterday', 241);
  });
});
