/**
 * CREATE [OR ALTER] TRIGGER name ON table { FOR | AFTER | INSTEAD OF } { INSERT, UPDATE, DELETE }
 * [NOT FOR REPLICATION] AS statements — DML triggers on tables, as SQL Server's CREATE TRIGGER
 * documents them (DDL and logon triggers are not read).
 */
import type { Cursor } from './cursor';
import type { Statement, TriggerEvent } from '../ast';
import { sqlErrors } from '../sql-error';

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
