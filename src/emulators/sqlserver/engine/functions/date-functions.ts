/**
 * DATEADD, DATEDIFF, DATEPART, DATENAME, EOMONTH, DATEFROMPARTS, ISDATE and the clock functions
 * over the stored text form of dates (temporal.ts). DATEDIFF counts boundaries crossed, as SQL
 * Server does (DATEDIFF(year, '2024-12-31', '2025-01-01') is 1). DATEPART(weekday/week) and
 * DATENAME follow the session's DATEFIRST and LANGUAGE (sessionDateFunctions); DATEDIFF(week)
 * counts Sundays whatever DATEFIRST says, as SQL Server's does.
 */
import { canonicalTypeName, makeType, SqlType } from '../../sql-type';
import { civilFromDays, daysFromCivil, nowParts, parseTemporal, TemporalParts, TICKS_PER_DAY, TICKS_PER_SECOND, toStoredTemporal } from '../../temporal';
import { sqlErrors } from '../../tsql/sql-error';
import { Language, US_ENGLISH } from '../../languages';
import { DateSettings, parseDateString } from '../../date-string';

type Value = null | number | bigint | string | Buffer;

const PART_ALIASES: Record<string, string> = {
  yy: 'year', yyyy: 'year', year: 'year', qq: 'quarter', q: 'quarter', quarter: 'quarter', mm: 'month', m: 'month', month: 'month',
  dy: 'dayofyear', y: 'dayofyear', dayofyear: 'dayofyear', dd: 'day', d: 'day', day: 'day', wk: 'week', ww: 'week', week: 'week',
  dw: 'weekday', w: 'weekday', weekday: 'weekday', hh: 'hour', hour: 'hour', mi: 'minute', n: 'minute', minute: 'minute',
  ss: 'second', s: 'second', second: 'second', ms: 'millisecond', millisecond: 'millisecond', mcs: 'microsecond', microsecond: 'microsecond',
  ns: 'nanosecond', nanosecond: 'nanosecond', tz: 'tzoffset', tzoffset: 'tzoffset', isowk: 'iso_week', isoww: 'iso_week', iso_week: 'iso_week',
};

function part(name: Value): string {
  const resolved = PART_ALIASES[String(name).toLowerCase()];
  if (!resolved) throw sqlErrors.userError(155, `'${String(name)}' is not a recognized datepart option.`, 1);
  return resolved;
}

function parts(value: Value): TemporalParts {
  const parsed = typeof value === 'string' ? parseTemporal(value) : undefined;
  if (!parsed) throw sqlErrors.dateConversion();
  return parsed;
}

/** The type a stored date string has, when the caller did not say. */
function inferredType(value: string): SqlType {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { name: 'date' };
  if (/^\d{2}:\d{2}/.test(value)) return { name: 'time', scale: 7 };
  if (/[+-]\d{2}:\d{2}$|Z$/i.test(value)) return { name: 'datetimeoffset', scale: 7 };
  return { name: 'datetime2', scale: 7 };
}

function typeFromText(text: Value, value: string): SqlType {
  if (typeof text !== 'string') return inferredType(value);
  const match = /^(\w+)(?:\((\d+)\))?$/.exec(text);
  const name = match ? canonicalTypeName(match[1]) : undefined;
  return name ? makeType(name, match?.[2] ? [Number(match[2])] : []) : inferredType(value);
}

const UNIT_TICKS: Record<string, number> = {
  hour: 3600 * TICKS_PER_SECOND, minute: 60 * TICKS_PER_SECOND, second: TICKS_PER_SECOND,
  millisecond: 10_000, microsecond: 10, nanosecond: 0.01, day: TICKS_PER_DAY, week: 7 * TICKS_PER_DAY, dayofyear: TICKS_PER_DAY, weekday: TICKS_PER_DAY,
};

function addMonths(p: TemporalParts, months: number): TemporalParts {
  const { year, month, day } = civilFromDays(p.days);
  const total = year * 12 + (month - 1) + months;
  const newYear = Math.floor(total / 12);
  const newMonth = (total % 12) + 1;
  const lastDay = civilFromDays(daysFromCivil(newMonth === 12 ? newYear + 1 : newYear, newMonth === 12 ? 1 : newMonth + 1, 1) - 1).day;
  return { ...p, days: daysFromCivil(newYear, newMonth, Math.min(day, lastDay)) };
}

export function dateadd(partName: Value, amount: Value, value: Value, typeText: Value): Value {
  if (amount === null || value === null) return null;
  const unit = part(partName);
  const p = parts(value);
  const n = Math.trunc(Number(amount));
  let result: TemporalParts;
  if (unit === 'year') result = addMonths(p, n * 12);
  else if (unit === 'quarter') result = addMonths(p, n * 3);
  else if (unit === 'month') result = addMonths(p, n);
  else {
    const ticks = UNIT_TICKS[unit];
    if (ticks === undefined) throw sqlErrors.userError(9810, `The datepart ${unit} is not supported by date function dateadd for data type ${String(typeText ?? 'datetime')}.`, 1);
    let total = p.days * TICKS_PER_DAY + p.time + Math.round(n * ticks);
    const days = Math.floor(total / TICKS_PER_DAY);
    total -= days * TICKS_PER_DAY;
    result = { ...p, days, time: total };
  }
  return toStoredTemporal(typeFromText(typeText, String(value)), result);
}

/** Units counted since 0001-01-01 for boundary-crossing arithmetic. */
function unitsSinceEpoch(unit: string, p: TemporalParts): number {
  const { year, month } = civilFromDays(p.days);
  switch (unit) {
    case 'year': return year;
    case 'quarter': return year * 4 + Math.floor((month - 1) / 3);
    case 'month': return year * 12 + month - 1;
    case 'week': return Math.floor((p.days + 1) / 7);
    case 'day': case 'dayofyear': case 'weekday': return p.days;
    default: return Math.floor((p.days * TICKS_PER_DAY + p.time - (p.offset ?? 0) * 60 * TICKS_PER_SECOND) / UNIT_TICKS[unit]);
  }
}

export function datediff(partName: Value, start: Value, end: Value): Value {
  if (start === null || end === null) return null;
  const unit = part(partName);
  return unitsSinceEpoch(unit, parts(end)) - unitsSinceEpoch(unit, parts(start));
}

/** 0 for the session's first day of the week (DATEFIRST: 1 = Monday … 7 = Sunday). */
function weekdayIndex(days: number, dateFirst: number): number {
  const sundayBased = (((days + 1) % 7) + 7) % 7;
  return (sundayBased - (dateFirst % 7) + 7) % 7;
}

export function datepart(partName: Value, value: Value, dateFirst = 7): Value {
  if (value === null) return null;
  const unit = part(partName);
  const p = parts(value);
  const { year, month, day } = civilFromDays(p.days);
  const secondsOfDay = Math.floor(p.time / TICKS_PER_SECOND);
  switch (unit) {
    case 'year': return year;
    case 'quarter': return Math.floor((month - 1) / 3) + 1;
    case 'month': return month;
    case 'dayofyear': return p.days - daysFromCivil(year, 1, 1) + 1;
    case 'day': return day;
    case 'week': return Math.floor((p.days - daysFromCivil(year, 1, 1) + weekdayIndex(daysFromCivil(year, 1, 1), dateFirst)) / 7) + 1;
    case 'weekday': return weekdayIndex(p.days, dateFirst) + 1;
    case 'hour': return Math.floor(secondsOfDay / 3600);
    case 'minute': return Math.floor(secondsOfDay / 60) % 60;
    case 'second': return secondsOfDay % 60;
    case 'millisecond': return Math.floor((p.time % TICKS_PER_SECOND) / 10_000);
    case 'microsecond': return Math.floor((p.time % TICKS_PER_SECOND) / 10);
    case 'nanosecond': return (p.time % TICKS_PER_SECOND) * 100;
    case 'tzoffset': return p.offset ?? 0;
    default: {
      // ISO week: the week with the year's first Thursday is week 1.
      const weekday = ((p.days % 7) + 7) % 7; // 0 = Monday (0001-01-01 was a Monday)
      const thursday = p.days - weekday + 3;
      const isoYear = civilFromDays(thursday).year;
      return Math.floor((thursday - daysFromCivil(isoYear, 1, 1)) / 7) + 1;
    }
  }
}

export function datename(partName: Value, value: Value, language: Language = US_ENGLISH, dateFirst = 7): Value {
  if (value === null) return null;
  const unit = part(partName);
  if (unit === 'month') return language.months[Number(datepart('month', value)) - 1];
  if (unit === 'weekday') return language.days[weekdayIndex(parts(value).days, 7)];
  return String(datepart(partName, value, dateFirst));
}

export interface DateSessionHost {
  dateSettings(): DateSettings;
  dateFirst(): number;
}

/** The functions whose answers depend on the session's DATEFIRST, LANGUAGE and DATEFORMAT. */
export function sessionDateFunctions(host: DateSessionHost): Record<string, (...args: Value[]) => Value> {
  return {
    hcm_datepart: (partName, value) => datepart(partName, value, host.dateFirst()),
    hcm_datename: (partName, value) => datename(partName, value, host.dateSettings().language, host.dateFirst()),
    hcm_isdate: (value) => {
      if (typeof value !== 'string') return 0;
      try {
        parseDateString(value, { name: 'datetime' }, host.dateSettings());
        return 1;
      } catch {
        return 0;
      }
    },
  };
}

export const DATE_FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  hcm_now: (type, utc) => {
    const p = nowParts(Number(utc) === 1);
    return toStoredTemporal(makeType(canonicalTypeName(String(type)) ?? 'datetime2'), p);
  },
  hcm_dateadd: dateadd,
  hcm_datediff: datediff,
  hcm_datepart: (partName, value) => datepart(partName, value),
  hcm_datename: (partName, value) => datename(partName, value),
  hcm_eomonth: (value, months) => {
    if (value === null) return null;
    const p = addMonths(parts(value), months === undefined || months === null ? 0 : Number(months));
    const { year, month } = civilFromDays(p.days);
    return toStoredTemporal({ name: 'date' }, { ...p, days: daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1 });
  },
  hcm_datefromparts: (year, month, day) => {
    if (year === null || month === null || day === null) return null;
    const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (!parseTemporal(text)) throw sqlErrors.userError(289, 'Cannot construct data type date, some of the arguments have values which are not valid.', 1);
    return text;
  },
  hcm_isdate: (value) => (typeof value === 'string' && parseTemporal(value) ? 1 : 0),
};
