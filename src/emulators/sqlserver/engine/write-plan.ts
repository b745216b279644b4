/**
 * What a write statement locks before it runs: X on every table it writes (the DML target and,
 * for DELETE/UPDATE/MERGE, the tables a cascading foreign key reaches, transitively) and S on the
 * tables its constraint triggers read (parents of what it writes; for DELETE/UPDATE also the
 * children a NO ACTION foreign key checks), so no check reads another transaction's uncommitted
 * rows. DDL takes X on the tables whose definition or triggers it changes.
 */
import type { Catalog, TableDefinition } from './catalog';

export type WritePlan =
  /** `also`: tables the table's triggers write (locked X up front, so a trigger never waits holding SQLite's lock). */
  | { kind: 'insert' | 'update' | 'delete'; table: TableDefinition; also?: TableDefinition[] }
  | { kind: 'ddl'; tables: TableDefinition[] }
  /** Work on the session's own #temporary objects only (creating or dropping them included). */
  | { kind: 'temp'; table?: TableDefinition; created?: string };

export interface LockSet {
  exclusive: TableDefinition[];
  shared: TableDefinition[];
}

export function tableKey(table: Pick<TableDefinition, 'name'>): string {
  return `table:${table.name.toLowerCase()}`;
}

/** Lock sets by catalog (a catalog never changes; a DDL makes a new one) and statement kind + table. */
const computed = new WeakMap<Catalog, Map<string, LockSet>>();

export function lockSet(catalog: Catalog, plan: WritePlan): LockSet {
  if (plan.kind === 'temp') return { exclusive: [], shared: [] };
  if (plan.kind === 'ddl') return computeLockSet(catalog, plan);
  let byPlan = computed.get(catalog);
  if (!byPlan) computed.set(catalog, (byPlan = new Map()));
  const also = plan.also?.map((t) => t.name.toLowerCase()).join(',') ?? '';
  const key = `${plan.kind === 'insert' ? 'insert' : 'change'}:${plan.table.temporary ? '#' : ''}${plan.table.name.toLowerCase()}+${also}`;
  let set = byPlan.get(key);
  if (!set) byPlan.set(key, (set = computeLockSet(catalog, plan)));
  return set;
}

function computeLockSet(catalog: Catalog, plan: Exclude<WritePlan, { kind: 'temp' }>): LockSet {
  const exclusive = new Map<string, TableDefinition>();
  const shared = new Map<string, TableDefinition>();
  const current = (table: TableDefinition) => catalog.table(table.name) ?? table;
  if (plan.kind === 'ddl') {
    for (const table of plan.tables) if (!table.temporary) exclusive.set(tableKey(table), current(table));
    return { exclusive: sorted(exclusive), shared: [] };
  }
  if (plan.table.temporary) return { exclusive: [], shared: [] };
  const pending = [current(plan.table), ...(plan.also ?? []).map(current)];
  while (pending.length > 0) {
    const table = pending.pop()!;
    if (exclusive.has(tableKey(table))) continue;
    exclusive.set(tableKey(table), table);
    for (const fk of table.foreignKeys) {
      const parent = catalog.table(fk.refTable);
      if (parent) shared.set(tableKey(parent), parent);
    }
    if (plan.kind === 'insert') continue;
    for (const { table: child, foreignKey } of catalog.referencesTo(table.name)) {
      const acts = foreignKey.onDelete !== 'NO ACTION' || foreignKey.onUpdate !== 'NO ACTION';
      if (acts) pending.push(child);
      else shared.set(tableKey(child), child);
    }
  }
  for (const key of exclusive.keys()) shared.delete(key);
  return { exclusive: sorted(exclusive), shared: sorted(shared) };
}

/** Tables in one order for every session, so two statements never take the same pair crosswise. */
function sorted(tables: Map<string, TableDefinition>): TableDefinition[] {
  return [...tables.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, table]) => table);
}
