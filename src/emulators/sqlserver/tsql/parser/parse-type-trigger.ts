/**
 * CREATE TYPE (table types and alias types) and CREATE [OR ALTER] TRIGGER name ON table
 * { FOR | AFTER | INSTEAD OF } { INSERT, UPDATE, DELETE } [NOT FOR REPLICATION] AS statements —
 * DML triggers on tables, as SQL Server's CREATE TRIGGER documents them (DDL and logon triggers
 * are not read) — and { ENABLE | DISABLE } TRIGGER { name, … | ALL } ON table, also written
 * ALTER TABLE table { ENABLE | DISABLE } TRIGGER { ALL | name, … }.
 */
import type { Cursor } from './cursor';
import type { ObjectName, Statement, TriggerEvent } from '../ast';
import { parseDataType } from './parse-type';
import { sqlErrors } from '../sql-error';

type TableBodyParser = (cursor: Cursor, line: number, name: string) => Statement & { kind: 'createTable' };


export function parseCreateTrigger(cursor: Cursor, line: number, start: number, orAlter: boolean, parseRest: (cursor: Cursor) => Statement[]): Statement {
  const name = cursor.objectName();
  cursor.expectWord('ON');
  if (cursor.isWord('DATABASE', 'ALL')) throw sqlErrors.notSupported('DDL triggers').at(line);
  const table = cursor.objectName();
  if (cursor.acceptWord('WITH')) {
    do cursor.next();
    while (cursor.acceptPunct(','));
  }
  let timing: 'AFTER' | 'INSTEAD OF' = 'AFTER';
  if (cursor.acceptWord('INSTEAD')) {
    cursor.expectWord('OF');
    timing = 'INSTEAD OF';
  } else cursor.expectWord('FOR', 'AFTER');
  const events: TriggerEvent[] = [];
  do {
    const event = cursor.expectWord('INSERT', 'UPDATE', 'DELETE') as TriggerEvent;
    if (!events.includes(event)) events.push(event);
  } while (cursor.acceptPunct(','));
  if (cursor.acceptWord('WITH')) cursor.expectWord('APPEND');
  if (cursor.acceptWord('NOT')) {
    cursor.expectWord('FOR');
    cursor.expectWord('REPLICATION');
  }
  cursor.expectWord('AS');
  const body = parseRest(cursor);
  return { kind: 'createTrigger', line, orAlter, name, table, timing, events, body, source: cursor.textBetween(start, cursor.position) };
}

/** CREATE TYPE name AS TABLE (…) — read like a table, so its definition is checked as one — or FROM base [NULL | NOT NULL]. */
export function parseCreateType(cursor: Cursor, line: number, parseTableBody: TableBodyParser): Statement {
  const name: ObjectName = cursor.objectName();
  if (cursor.acceptWord('FROM')) {
    const base = parseDataType(cursor);
    let nullable = true;
    if (cursor.acceptWord('NOT')) { cursor.expectWord('NULL'); nullable = false; } else cursor.acceptWord('NULL');
    return { kind: 'createType', line, name, base, nullable };
  }
  cursor.expectWord('AS');
  cursor.expectWord('TABLE');
  return { kind: 'createType', line, name, table: { ...parseTableBody(cursor, line, name.parts[name.parts.length - 1]), name } };
}

/** { ENABLE | DISABLE } TRIGGER { name [, …] | ALL } ON table. */
export function parseEnableTrigger(cursor: Cursor, line: number): Statement {
  const enable = cursor.expectWord('ENABLE', 'DISABLE') === 'ENABLE';
  cursor.expectWord('TRIGGER');
  const names = triggerNames(cursor);
  cursor.expectWord('ON');
  if (cursor.isWord('DATABASE', 'ALL')) throw sqlErrors.notSupported('DDL triggers').at(line);
  return { kind: 'enableTrigger', line, enable, names, table: cursor.objectName() };
}

/** ALTER TABLE table { ENABLE | DISABLE } TRIGGER { ALL | name [, …] }, after the table's name. */
export function parseAlterTableTrigger(cursor: Cursor, line: number, table: ObjectName): Statement {
  const enable = cursor.expectWord('ENABLE', 'DISABLE') === 'ENABLE';
  cursor.expectWord('TRIGGER');
  return { kind: 'enableTrigger', line, enable, names: triggerNames(cursor), table };
}

function triggerNames(cursor: Cursor): ObjectName[] | 'ALL' {
  if (cursor.acceptWord('ALL')) return 'ALL';
  const names = [cursor.objectName()];
  while (cursor.acceptPunct(',')) names.push(cursor.objectName());
  return names;
}
