/**
 * Before-images: what lets an explicit transaction be undone although each of its statements
 * commits in SQLite at once (so that one session's open transaction never holds SQLite's single
 * write lock). The first write to a table after the transaction began, or after a savepoint,
 * copies the table's rows — with their rowids, so order and keys come back exactly — into an
 * image table, in the same SQLite transaction as the write. ROLLBACK copies the image back;
 * COMMIT drops it. Other sessions read the lowest image of a table another transaction holds X
 * on (READ_COMMITTED_SNAPSHOT: the committed rows), through ImageRegistry.
 *
 * Image names are longer than any T-SQL identifier may be (128 characters, error 103), so no
 * user object can ever have one; the catalog never lists them, so neither do sys.tables,
 * INFORMATION_SCHEMA or sp_help. A permanent image names its table's object id and its savepoint
 * level, so a restart after a kill can put every imaged table back (restoreLeftImages).
 */
import type { SqliteDatabase } from './sqlite-loader';
import type { TableDefinition } from './catalog';
import { sqliteDeclaration } from '../sql-type';

export const IMAGE_PREFIX = '__hcm_image_';
/** Pads image names past T-SQL's 128-character limit on identifiers. */
const IMAGE_PADDING = '_before_image_of_a_table_in_an_open_transaction_'.repeat(3);
const IMAGE_NAME = /^__hcm_image_(\d+|t\d+)_(\d+)_/;

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface ImageRecord {
  /** The SQLite name of the imaged table, and its schema (main, or temp for #tables). */
  table: string;
  schema: 'main' | 'temp';
  level: number;
  image: string;
}

export function imageName(table: TableDefinition, level: number, sequence: number): string {
  const id = table.temporary ? `t${sequence}` : String(table.objectId);
  return `${IMAGE_PREFIX}${id}_${level}_${IMAGE_PADDING}`;
}

/** Copies the table's rows (computed columns too, for readers) into a new image table. */
export function createImage(db: SqliteDatabase, table: TableDefinition, record: ImageRecord): void {
  const columns = table.columns.map((c) => `${quote(c.name)} ${sqliteDeclaration(c.type)}`);
  const temp = record.schema === 'temp' ? 'TEMP ' : '';
  db.exec(`CREATE ${temp}TABLE ${quote(record.image)} (${columns.join(', ')})`);
  const names = table.columns.map((c) => quote(c.name)).join(', ');
  db.exec(`INSERT INTO ${record.schema}.${quote(record.image)} (rowid, ${names}) SELECT rowid, ${names} FROM ${record.schema}.${quote(record.table)}`);
}

export function dropImage(db: SqliteDatabase, record: Pick<ImageRecord, 'schema' | 'image'>): void {
  db.exec(`DROP TABLE IF EXISTS ${record.schema}.${quote(record.image)}`);
}

/**
 * Puts the image's rows back into its table. The table's own triggers (constraint checks,
 * cascades) are taken off meanwhile and put back unchanged: the rows were valid when imaged, and a
 * cascade must not reach tables the transaction did not change.
 */
export function restoreImage(db: SqliteDatabase, record: Pick<ImageRecord, 'schema' | 'table' | 'image'>): void {
  const schema = record.schema;
  const table = `${schema}.${quote(record.table)}`;
  const triggers = db.prepare(`SELECT name, sql FROM ${schema}.sqlite_master WHERE type = 'trigger' AND tbl_name = ? COLLATE NOCASE`)
    .all(record.table) as Array<{ name: string; sql: string }>;
  for (const trigger of triggers) db.exec(`DROP TRIGGER ${schema}.${quote(trigger.name)}`);
  // Generated (computed) columns come back by themselves; hidden = 2 or 3 marks them.
  const stored = (db.prepare(`SELECT name FROM pragma_table_xinfo(?, ?) WHERE hidden = 0`).all(record.table, schema) as Array<{ name: string }>)
    .map((c) => c.name);
  const imaged = new Set((db.prepare('SELECT name FROM pragma_table_info(?, ?)').all(record.image, schema) as Array<{ name: string }>).map((c) => c.name));
  const names = stored.filter((n) => imaged.has(n)).map(quote).join(', ');
  db.exec(`DELETE FROM ${table}`);
  db.exec(`INSERT INTO ${table} (rowid${names ? `, ${names}` : ''}) SELECT rowid${names ? `, ${names}` : ''} FROM ${schema}.${quote(record.image)}`);
  for (const trigger of triggers) db.exec(trigger.sql);
}

/**
 * At open: a process killed inside a transaction left its images; each table goes back to its
 * lowest (oldest) image — the committed rows — and every image is dropped, in one transaction.
 */
export function restoreLeftImages(db: SqliteDatabase, tableName: (objectId: number) => string | undefined): number {
  const left = (db.prepare(`SELECT name FROM main.sqlite_master WHERE type = 'table' AND name LIKE '${IMAGE_PREFIX}%'`).all() as Array<{ name: string }>)
    .map((row) => ({ image: row.name, match: IMAGE_NAME.exec(row.name) }))
    .filter((entry) => entry.match && !entry.match[1].startsWith('t'));
  if (left.length === 0) return 0;
  const lowest = new Map<number, { image: string; level: number }>();
  for (const { image, match } of left) {
    const objectId = Number(match![1]);
    const level = Number(match![2]);
    const known = lowest.get(objectId);
    if (!known || level < known.level) lowest.set(objectId, { image, level });
  }
  db.transaction(() => {
    for (const [objectId, { image }] of lowest) {
      const table = tableName(objectId);
      if (table) restoreImage(db, { schema: 'main', table, image });
    }
    for (const { image } of left) dropImage(db, { schema: 'main', image });
  })();
  return lowest.size;
}

/**
 * Which permanent tables other sessions must read from an image: the lowest committed image of
 * each table an open transaction holds X on. `epoch` changes with every registration, so a
 * statement translated before a lock wait knows to translate again.
 */
export class ImageRegistry {
  private readonly images = new Map<string, { owner: object; image: string }>();
  epoch = 0;

  set(tableKey: string, owner: object, image: string): void {
    this.images.set(tableKey, { owner, image });
    this.epoch++;
  }

  delete(tableKey: string, owner: object): void {
    if (this.images.get(tableKey)?.owner !== owner) return;
    this.images.delete(tableKey);
    this.epoch++;
  }

  /** The image `reader` reads instead of the table, when another session's transaction imaged it. */
  imageFor(tableKey: string, reader: object): string | undefined {
    const entry = this.images.get(tableKey);
    return entry && entry.owner !== reader ? entry.image : undefined;
  }

  /** Whether any table is read from another session's image (views are then translated inline). */
  anyFor(reader: object): boolean {
    for (const entry of this.images.values()) if (entry.owner !== reader) return true;
    return false;
  }
}
