/**
 * The 2015 "Fields" list: column names only ("Id, [Order Date], Total" or an array), no table
 * prefix, TOP, DISTINCT, aliases or expressions. Empty means every column.
 */
import { TableInfo, findColumn } from '../catalog/model';
import { sqlErrors } from '../errors';

export function parseFields(fields: unknown, table: TableInfo): string[] | undefined {
  if (fields === undefined || fields === null || fields === '' || fields === '*') return undefined;
  let items: unknown[];
  if (typeof fields === 'string') items = splitFieldList(fields);
  else if (Array.isArray(fields)) items = fields;
  else throw sqlErrors.badBody('fields must be a comma-separated string or an array of column names.');
  const names: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') throw sqlErrors.badBody('fields must name columns as strings.');
    const name = unbracket(item.trim());
    const column = findColumn(table, name);
    if (!column) throw sqlErrors.columnNotFound(table.name, name, 'fields');
    if (!names.includes(column.name)) names.push(column.name);
  }
  return names.length > 0 ? names : undefined;
}

/** Splits on commas outside [brackets]. */
function splitFieldList(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let bracketed = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (bracketed && ch === ']' && text[i + 1] === ']') {
      current += ']]';
      i += 1;
      continue;
    }
    if (ch === '[') bracketed = true;
    else if (ch === ']') bracketed = false;
    if (ch === ',' && !bracketed) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  return items;
}

function unbracket(name: string): string {
  const match = /^\[((?:[^\]]|\]\])*)\]$/.exec(name);
  return match ? match[1].replace(/]]/g, ']') : name;
}
