/**
 * Dates and times. SQLite has no temporal types, so the stand-in stores them as text that sorts
 * in time order: date 'YYYY-MM-DD', time 'HH:MM:SS.fffffff', datetime/datetime2/smalldatetime
 * 'YYYY-MM-DD HH:MM:SS.fffffff', datetimeoffset 'YYYY-MM-DD HH:MM:SS.fffffff +HH:MM'.
 * Parts are counted as SQL Server's TDS encoding counts them (MS-TDS 2.2.5.5.1.7–10): days since
 * 0001-01-01 and 100-nanosecond units since midnight.
 */
import type { SqlType } from './sql-type';

export interface TemporalParts {
  /** Days since 0001-01-01. */
  days: number;
  /** 100 ns units since midnight. */
  time: number;
  /** Minutes east of UTC, when the text carried an offset. */
  offset?: number;
  hasDate: boolean;
  hasTime: boolean;
}

export const TICKS_PER_SECOND = 10_000_000;
export const TICKS_PER_DAY = 86_400 * TICKS_PER_SECOND;
/** Days from 0001-01-01 to 1970-01-01 and to 1900-01-01. */
export const DAYS_TO_1970 = 719_162;
export const DAYS_TO_1900 = 693_595;

/** Days since 0001-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468 + DAYS_TO_1970;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days - DAYS_TO_1970 + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ISO = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](.*))?$/i;
const MDY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(.*))?$/;
const NAMED = /^([a-z]{3})[a-z]*\s+(\d{1,2}),?\s+(\d{4})(?:\s+(.*))?$/i;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.:](\d{1,7}))?)?\s*(am|pm)?\s*(z|[+-]\d{2}:?\d{2})?$/i;

/** Parses the literal forms SQL Server accepts for dates and times (ISO 8601, ymd, mdy, 'Jan 5 2024 10:00AM'). */
export function parseTemporal(input: string): TemporalParts | undefined {
  const text = input.trim();
  if (text === '') return { days: DAYS_TO_1900, time: 0, hasDate: false, hasTime: false };
  const timeOnly = TIME.exec(text);
  if (timeOnly) return withTime({ days: DAYS_TO_1900, time: 0, hasDate: false, hasTime: false }, text);
  const match = ISO.exec(text) ?? MDY.exec(text) ?? NAMED.exec(text);
  if (!match) return undefined;
  let year: number, month: number, day: number;
  if (match === null) return undefined;
  if (/^\d{4}/.test(text)) [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if (/^\d/.test(text)) [month, day, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else [month, day, year] = [MONTHS.indexOf(match[1].toLowerCase()) + 1, Number(match[2]), Number(match[3])];
  if (!validDate(year, month, day)) return undefined;
  const parts: TemporalParts = { days: daysFromCivil(year, month, day), time: 0, hasDate: true, hasTime: false };
  return match[4] === undefined ? parts : withTime(parts, match[4].trim());
}

function withTime(parts: TemporalParts, text: string): TemporalParts | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  let hours = Number(match[1]);
  const minutes = Number(match[2]);
  const seconds = Number(match[3] ?? 0);
  const fraction = Number((match[4] ?? '').padEnd(7, '0'));
  if (match[5]) {
    if (hours < 1 || hours > 12) return undefined;
    hours = (hours % 12) + (match[5].toLowerCase() === 'pm' ? 12 : 0);
  }
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const result: TemporalParts = { ...parts, hasTime: true, time: ((hours * 60 + minutes) * 60 + seconds) * TICKS_PER_SECOND + fraction };
  if (match[6]) result.offset = parseOffset(match[6]);
  return result;
}

function parseOffset(text: string): number {
  if (text.toLowerCase() === 'z') return 0;
  const digits = text.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return text.startsWith('-') ? -minutes : minutes;
}

function validDate(year: number, month: number, day: number): boolean {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  return day <= civilFromDays(daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1).day;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** 'HH:MM:SS' followed by `digits` fraction digits (none when 0). */
export function formatTime(time: number, digits = 7): string {
  const totalSeconds = Math.floor(time / TICKS_PER_SECOND);
  const fraction = time - totalSeconds * TICKS_PER_SECOND;
  const clock = `${pad(Math.floor(totalSeconds / 3600), 2)}:${pad(Math.floor(totalSeconds / 60) % 60, 2)}:${pad(totalSeconds % 60, 2)}`;
  return digits === 0 ? clock : `${clock}.${pad(fraction, 7).slice(0, digits)}`;
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${pad(Math.floor(absolute / 60), 2)}:${pad(absolute % 60, 2)}`;
}

/** Rounds the time of day to a type's precision, carrying into the next day when it overflows. */
export function roundForType(type: SqlType, parts: TemporalParts): TemporalParts {
  let unit: number;
  if (type.name === 'datetime') {
    // 1/300 s in integer arithmetic: .995 must become .997 and .994 .993, as SQL Server documents
    // (a double division lands .995 a hair below the half and rounds it down).
    let units = Math.floor((Math.round(parts.time) * 3 + 50_000) / 100_000);
    let days = parts.days;
    if (units >= 86_400 * 300) {
      units -= 86_400 * 300;
      days += 1;
    }
    return { ...parts, days, time: Math.round((units * 100_000) / 3) };
  }
  if (type.name === 'smalldatetime') unit = 60 * TICKS_PER_SECOND;
  else if (type.name === 'date') return { ...parts, time: 0 };
  else unit = 10 ** (7 - (type.scale ?? 7));
  let time = Math.round(parts.time / unit) * unit;
  let days = parts.days;
  if (time >= TICKS_PER_DAY) {
    time -= TICKS_PER_DAY;
    if (type.name !== 'time') days += 1;
  }
  return { ...parts, days, time };
}

/** The stored (sortable) text of a temporal value of the given type. */
export function toStoredTemporal(type: SqlType, parts: TemporalParts): string {
  const rounded = roundForType(type, parts);
  switch (type.name) {
    case 'date': return formatDate(rounded.days);
    case 'time': return formatTime(rounded.time);
    case 'datetimeoffset': return `${formatDate(rounded.days)} ${formatTime(rounded.time)} ${formatOffset(rounded.offset ?? 0)}`;
    default: return `${formatDate(rounded.days)} ${formatTime(rounded.time)}`;
  }
}

/** Parts of a JavaScript Date, read in UTC (tedious sends and reads dates as UTC by default). */
export function partsFromDate(date: Date): TemporalParts {
  const ms = date.getTime();
  const dayMs = 86_400_000;
  const days = Math.floor(ms / dayMs);
  return { days: days + DAYS_TO_1970, time: (ms - days * dayMs) * 10_000, hasDate: true, hasTime: true };
}

/** The current time in UTC as parts (GETUTCDATE, SYSUTCDATETIME) or local (GETDATE, SYSDATETIME). */
export function nowParts(utc: boolean): TemporalParts {
  const now = new Date();
  const shifted = utc ? now : new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  const parts = partsFromDate(shifted);
  return utc ? parts : { ...parts, offset: -now.getTimezoneOffset() };
}
