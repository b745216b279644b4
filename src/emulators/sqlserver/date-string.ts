/**
 * Character strings converted to a date/time type, by the rules of SQL Server's documentation
 * ("datetime (Transact-SQL)" — supported string literal formats — and the date, datetime2,
 * datetimeoffset, smalldatetime and time pages):
 * - ISO 8601 'YYYY-MM-DDThh:mm[:ss[.fff]]' (Z or ±hh:mm) and unseparated 'YYYYMMDD'/'YYMMDD'/'YYYY',
 *   read the same under every DATEFORMAT and LANGUAGE;
 * - numeric dates with '/', '-' or '.' ('4/15/96', '2011-12-4'), read in the session's DATEFORMAT;
 *   a four-digit year is found where it stands and the other two parts keep DATEFORMAT's
 *   month/day order (so 'yyyy-mm-dd' is ydm under DATEFORMAT dmy) — except for date, datetime2 and
 *   datetimeoffset, which always read a leading four-digit year as ymd and refuse DATEFORMAT ydm;
 *   two-digit years follow the 2049 cutoff;
 * - alphabetic dates with a month name of the session's LANGUAGE ('Apr 15 1996', '15 April, 96');
 * - a time before or after the date: 'hh:mm[:ss[.fraction | :milliseconds]][AM|PM]' or '4PM'.
 * datetime and smalldatetime take at most 3 fraction digits and no offset but 'Z'; the newer
 * types take 7 digits. Anything else is 241; a well-formed datetime/smalldatetime outside its range
 * (or a day its month lacks) is 242, as SQL Server answers.
 */
import type { SqlType } from './sql-type';
import { daysFromCivil, DAYS_TO_1900, TemporalParts, TICKS_PER_SECOND, civilFromDays } from './temporal';
import { DateFormat, Language, monthFromName } from './languages';
import { SqlError, sqlErrors } from './tsql/sql-error';

export interface DateSettings {
  dateFormat: DateFormat;
  language: Language;
}

interface Ymd { year: number; month: number; day: number }

const TIME = /^(?:(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:([.:])(\d*))?)?\s*([ap]m)?|(\d{1,2})\s*([ap]m))\s*(z|[+-]\d{1,2}:\d{2})?$/i;
const TIME_AT_END = /(?:^|\s+)((?:\d{1,2}:\d{1,2}(?::\d{1,2}(?:[.:]\d*)?)?\s*(?:[ap]m)?|\d{1,2}\s*[ap]m)\s*(?:z|[+-]\d{1,2}:\d{2})?)$/i;
const TIME_AT_START = /^(\d{1,2}:\d{1,2}(?::\d{1,2}(?:[.:]\d*)?)?\s*(?:[ap]m)?|\d{1,2}\s*[ap]m)\s+(.+)$/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(.+)$/i;

const OLD_TYPES = new Set(['datetime', 'smalldatetime']);

/** Parts of `input` converted to `target`; throws SQL Server's 241 or 242. `sourceType` names the error's source. */
export function parseDateString(input: string, target: SqlType, settings: DateSettings, sourceType = 'varchar'): TemporalParts {
  const old = OLD_TYPES.has(target.name);
  if (!old && settings.dateFormat === 'ydm') throw sqlErrors.dateConversion();
  const text = input.trim();
  if (text === '') return { days: DAYS_TO_1900, time: 0, hasDate: false, hasTime: false };
  let datePart = text;
  let timePart: string | undefined;
  let iso = false;
  const isoMatch = ISO.exec(text);
  if (isoMatch) {
    [datePart, timePart, iso] = [`${isoMatch[1]}-${isoMatch[2]}-${isoMatch[3]}`, isoMatch[4], true];
  } else if (TIME.test(text)) {
    [datePart, timePart] = ['', text];
  } else {
    const atEnd = TIME_AT_END.exec(text);
    const atStart = atEnd ? null : TIME_AT_START.exec(text);
    if (atEnd) [datePart, timePart] = [text.slice(0, atEnd.index).trim(), atEnd[1]];
    else if (atStart) [datePart, timePart] = [atStart[2].trim(), atStart[1]];
  }
  const date = datePart === '' ? undefined : parseDate(datePart, target, settings);
  if (datePart !== '' && !date) throw sqlErrors.dateConversion();
  const time = timePart === undefined ? undefined : parseTime(timePart, old, iso);
  if (timePart !== undefined && !time) throw sqlErrors.dateConversion();
  if (date && !validDay(date)) throw old ? outOfRange(sourceType, target) : sqlErrors.dateConversion();
  const parts: TemporalParts = {
    days: date ? daysFromCivil(date.year, date.month, date.day) : DAYS_TO_1900,
    time: time?.ticks ?? 0,
    hasDate: date !== undefined,
    hasTime: time !== undefined,
  };
  if (time?.offset !== undefined) parts.offset = time.offset;
  if (old && !inOldRange(parts, target)) throw outOfRange(sourceType, target);
  return parts;
}

function outOfRange(sourceType: string, target: SqlType): SqlError {
  return new SqlError(242, `The conversion of a ${sourceType} data type to a ${target.name} data type resulted in an out-of-range value.`);
}

function inOldRange(parts: TemporalParts, target: SqlType): boolean {
  if (target.name === 'datetime') return parts.days >= daysFromCivil(1753, 1, 1);
  const last = daysFromCivil(2079, 6, 6);
  return parts.days >= DAYS_TO_1900 && (parts.days < last || (parts.days === last && parts.time < (23 * 60 + 59) * 60 * TICKS_PER_SECOND + 29.999 * TICKS_PER_SECOND));
}

function validDay({ year, month, day }: Ymd): boolean {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const next = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
  return day <= civilFromDays(next - 1).day;
}

/** Two-digit years: 'two digit year cutoff' 2049, SQL Server's default. */
function fullYear(digits: string): number {
  const year = Number(digits);
  if (digits.length > 2) return year;
  return year <= 49 ? 2000 + year : 1900 + year;
}

function parseDate(text: string, target: SqlType, settings: DateSettings): Ymd | undefined {
  if (/^\d+$/.test(text)) return unseparated(text);
  const numeric = /^(\d{1,4})([/.-])(\d{1,4})[/.-](\d{1,4})$/.exec(text);
  if (numeric) return numericDate([numeric[1], numeric[3], numeric[4]], target, settings.dateFormat);
  return alphabetic(text, settings.language);
}

function unseparated(text: string): Ymd | undefined {
  if (text.length === 8) return { year: Number(text.slice(0, 4)), month: Number(text.slice(4, 6)), day: Number(text.slice(6, 8)) };
  if (text.length === 6) return { year: fullYear(text.slice(0, 2)), month: Number(text.slice(2, 4)), day: Number(text.slice(4, 6)) };
  if (text.length === 4) return { year: Number(text), month: 1, day: 1 };
  return undefined;
}

function numericDate(fields: string[], target: SqlType, dateFormat: DateFormat): Ymd | undefined {
  const yearAt = fields.findIndex((field) => field.length > 2);
  let order: string;
  if (yearAt < 0) order = dateFormat;
  else if (fields.filter((field) => field.length > 2).length > 1) return undefined;
  else {
    // The long field is the year wherever it stands; the others keep DATEFORMAT's month/day order,
    // except that the newer types read 'yyyy-…' as ymd under every DATEFORMAT.
    const monthFirst = !OLD_TYPES.has(target.name) && yearAt === 0 ? true : dateFormat.indexOf('m') < dateFormat.indexOf('d');
    const rest = monthFirst ? ['m', 'd'] : ['d', 'm'];
    order = fields.map((_, i) => (i === yearAt ? 'y' : rest.shift())).join('');
  }
  const value = (letter: string) => fields[order.indexOf(letter)];
  return { year: fullYear(value('y')), month: Number(value('m')), day: Number(value('d')) };
}

function alphabetic(text: string, language: Language): Ymd | undefined {
  const words = text.split(/[\s,/.-]+/).filter((word) => word !== '');
  const monthAt = words.findIndex((word) => /^\p{L}+$/u.test(word));
  if (monthAt < 0 || words.length < 2 || words.length > 3) return undefined;
  const month = monthFromName(words[monthAt], language);
  const numbers = words.filter((_, i) => i !== monthAt);
  if (month === undefined || !numbers.every((word) => /^\d{1,4}$/.test(word))) return undefined;
  if (numbers.length === 1) return numbers[0].length === 4 ? { year: Number(numbers[0]), month, day: 1 } : undefined;
  const longAt = numbers.findIndex((word) => word.length > 2);
  if (longAt >= 0) return numbers[1 - longAt].length <= 2 ? { year: Number(numbers[longAt]), month, day: Number(numbers[1 - longAt]) } : undefined;
  return { year: fullYear(numbers[1]), month, day: Number(numbers[0]) };
}

function parseTime(text: string, old: boolean, iso: boolean): { ticks: number; offset?: number } | undefined {
  const match = TIME.exec(text.trim());
  if (!match) return undefined;
  let hours = Number(match[1] ?? match[7]);
  const minutes = Number(match[2] ?? 0);
  const seconds = Number(match[3] ?? 0);
  const meridiem = (match[6] ?? match[8])?.toLowerCase();
  let fraction = 0;
  if (match[4] === ':') {
    // 'hh:mm:ss:nnn' — after a colon the number counts thousandths of a second.
    if (match[5].length > 3) return undefined;
    fraction = Number(match[5] || 0) * 10_000;
  } else if (match[4] === '.') {
    if (match[5].length > (old ? 3 : 7)) return undefined;
    fraction = Number(match[5].padEnd(7, '0') || 0);
  }
  if (meridiem) {
    if (hours > 12) return undefined;
    hours = (hours % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const result: { ticks: number; offset?: number } = { ticks: ((hours * 60 + minutes) * 60 + seconds) * TICKS_PER_SECOND + fraction };
  const zone = match[9];
  if (zone) {
    // datetime and smalldatetime take ISO 8601's 'Z' only; the newer types any offset.
    if (old && !(iso && zone.toLowerCase() === 'z')) return undefined;
    result.offset = zone.toLowerCase() === 'z' ? 0 : offsetMinutes(zone);
    if (Math.abs(result.offset) > 14 * 60) return undefined;
  }
  return result;
}

function offsetMinutes(zone: string): number {
  const [hours, minutes] = zone.slice(1).split(':').map(Number);
  const total = hours * 60 + minutes;
  return zone.startsWith('-') ? -total : total;
}
