/**
 * A session's SET options, as SQL Server keeps them: the on/off options are the bits of @@OPTIONS
 * ("user options", SQL Server's documentation), the others are values (LANGUAGE, DATEFORMAT,
 * DATEFIRST, TEXTSIZE, LOCK_TIMEOUT). A session starts from what its login asked for: a LOGIN7
 * with the ODBC flag (SqlClient, ODBC, sqlcmd) gets ODBC's ANSI defaults (@@OPTIONS 5432); one
 * without it (tedious) starts from 0 and sends its own SET batch (tedious's makes it 5496).
 */
import { DateFormat, findLanguage, Language, US_ENGLISH } from '../languages';
import { SqlError } from '../tsql/sql-error';

/** @@OPTIONS bits by SET option name. */
export const OPTION_BITS: Record<string, number> = {
  DISABLE_DEF_CNST_CHK: 1, IMPLICIT_TRANSACTIONS: 2, CURSOR_CLOSE_ON_COMMIT: 4, ANSI_WARNINGS: 8, ANSI_PADDING: 16, ANSI_NULLS: 32,
  ARITHABORT: 64, ARITHIGNORE: 128, QUOTED_IDENTIFIER: 256, NOCOUNT: 512, ANSI_NULL_DFLT_ON: 1024, ANSI_NULL_DFLT_OFF: 2048,
  CONCAT_NULL_YIELDS_NULL: 4096, NUMERIC_ROUNDABORT: 8192, XACT_ABORT: 16384,
};

/** ANSI_WARNINGS, ANSI_PADDING, ANSI_NULLS, QUOTED_IDENTIFIER, ANSI_NULL_DFLT_ON, CONCAT_NULL_YIELDS_NULL. */
export const ODBC_OPTIONS = 8 + 16 + 32 + 256 + 1024 + 4096;

/** SET ANSI_DEFAULTS ON sets these (SQL Server's documentation of ANSI_DEFAULTS). */
const ANSI_DEFAULTS = ['ANSI_NULLS', 'ANSI_NULL_DFLT_ON', 'ANSI_PADDING', 'ANSI_WARNINGS', 'CURSOR_CLOSE_ON_COMMIT', 'IMPLICIT_TRANSACTIONS', 'QUOTED_IDENTIFIER'];

export interface SessionOptions {
  nocount: boolean;
  xactAbort: boolean;
  /** LOCK_TIMEOUT in milliseconds; -1 waits without limit (SQL Server's default). */
  lockTimeout: number;
  identityInsert?: string;
  textSize: number;
  /** The other on/off options as @@OPTIONS bits (NOCOUNT and XACT_ABORT are the fields above). */
  flags: number;
  language: Language;
  dateFormat: DateFormat;
  dateFirst: number;
  /** sys.dm_exec_sessions' transaction_isolation_level: 1 READ UNCOMMITTED … 4 SERIALIZABLE, 5 SNAPSHOT. */
  isolationLevel: number;
  /** SET DEADLOCK_PRIORITY: -10 … 10 (LOW -5, NORMAL 0, HIGH 5); the lowest in a deadlock is its victim. */
  deadlockPriority?: number;
  /** SET FMTONLY ON: SELECTs describe their columns and return no rows (SqlBulkCopy, freebcp). */
  fmtOnly?: boolean;
}

export function initialOptions(flags: number): SessionOptions {
  return { nocount: false, xactAbort: false, lockTimeout: -1, textSize: 2_147_483_647, flags, language: US_ENGLISH, dateFormat: US_ENGLISH.dateFormat,
    dateFirst: US_ENGLISH.dateFirst, isolationLevel: 2 };
}

/** SET TRANSACTION ISOLATION LEVEL: recorded (the stand-in reads committed snapshots at every level). */
export function isolationLevelNumber(words: string): number {
  return { 'READ UNCOMMITTED': 1, 'READ COMMITTED': 2, 'REPEATABLE READ': 3, SERIALIZABLE: 4, SNAPSHOT: 5 }[words.toUpperCase()] ?? 2;
}

export function optionsValue(options: SessionOptions): number {
  return options.flags | (options.nocount ? OPTION_BITS.NOCOUNT : 0) | (options.xactAbort ? OPTION_BITS.XACT_ABORT : 0);
}

/** Whether a CREATE TABLE column that says neither NULL nor NOT NULL allows NULL. */
export function nullByDefault(options: SessionOptions): boolean {
  if (options.flags & OPTION_BITS.ANSI_NULL_DFLT_ON) return true;
  if (options.flags & OPTION_BITS.ANSI_NULL_DFLT_OFF) return false;
  // Neither: the database's ANSI_NULL_DEFAULT, OFF as model's (and tempdb's) is.
  return false;
}

/** Applies an on/off option; returns false when `name` is not one. */
export function setFlag(options: SessionOptions, name: string, on: boolean): boolean {
  if (name === 'NOCOUNT') options.nocount = on;
  else if (name === 'XACT_ABORT') options.xactAbort = on;
  else if (name === 'ANSI_DEFAULTS') for (const option of ANSI_DEFAULTS) setFlag(options, option, on);
  else if (OPTION_BITS[name] === undefined) return false;
  else {
    options.flags = on ? options.flags | OPTION_BITS[name] : options.flags & ~OPTION_BITS[name];
    // ANSI_NULL_DFLT_ON and ANSI_NULL_DFLT_OFF exclude each other.
    if (on && name === 'ANSI_NULL_DFLT_ON') options.flags &= ~OPTION_BITS.ANSI_NULL_DFLT_OFF;
    if (on && name === 'ANSI_NULL_DFLT_OFF') options.flags &= ~OPTION_BITS.ANSI_NULL_DFLT_ON;
  }
  return true;
}

/** SET LANGUAGE: also sets DATEFORMAT and DATEFIRST to the language's. Unknown names are 2738. */
export function setLanguage(options: SessionOptions, name: string): Language {
  const language = findLanguage(name.replace(/^\[(.*)\]$/, '$1'));
  if (!language) throw new SqlError(2738, `'${name}' is not an official language name.`, 16, 1);
  // Setting the language the session already has keeps its DATEFORMAT and DATEFIRST (tedious sends
  // SET DATEFIRST and DATEFORMAT before SET LANGUAGE us_english, and SQL Server keeps them).
  if (language === options.language) return language;
  options.language = language;
  options.dateFormat = language.dateFormat;
  options.dateFirst = language.dateFirst;
  return language;
}

/** SET DATEFORMAT: one of the six orders (SQL Server's 1005 otherwise; 'ydm' is refused later by the newer types). */
export function setDateFormat(options: SessionOptions, value: string): void {
  const format = value.toLowerCase();
  if (!['mdy', 'dmy', 'ymd', 'ydm', 'myd', 'dym'].includes(format)) throw new SqlError(2741, `SET DATEFORMAT date order '${value}' is invalid.`, 16, 1);
  options.dateFormat = format as DateFormat;
}

/** SET DATEFIRST 1–7. */
export function setDateFirst(options: SessionOptions, value: string): void {
  const day = Number(value);
  if (!Number.isInteger(day) || day < 1 || day > 7) throw new SqlError(1005, `Line 1: Invalid number of parameters. SET DATEFIRST accepts 1 through 7.`, 16, 1);
  options.dateFirst = day;
}
