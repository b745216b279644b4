/**
 * better-sqlite3 is an optional dependency (a native module an IIS server never needs), so it is
 * loaded on first use, with a clear message when it is missing or failed to build.
 */
import type BetterSqlite3 from 'better-sqlite3';

export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteStatement = BetterSqlite3.Statement;
type SqliteConstructor = typeof BetterSqlite3;

let loaded: SqliteConstructor | undefined;

export function loadSqlite(): SqliteConstructor {
  if (loaded) return loaded;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('better-sqlite3') as SqliteConstructor;
    return loaded;
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new Error(
      `The SQL Server stand-in needs the optional dependency better-sqlite3 (major version 12), which could not be loaded: ${reason}. `
      + 'Install it with "npm install better-sqlite3@12" (it needs a C++ build toolchain when no prebuilt binary matches this platform).',
    );
  }
}
