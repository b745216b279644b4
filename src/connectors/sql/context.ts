/**
 * Everything a request handler needs, held in one object the composition root builds: the current
 * settings, the database pool, the catalog, and the allow-list view of the catalog.
 */
import type { Logger } from '../../common/logger';
import { errors } from '../../common/errors';
import type { SqlConnectorSettings } from '../../config/sql-settings';
import { allowedObjects, resolveObject } from './catalog/allow-list';
import { CatalogCache } from './catalog/catalog-cache';
import { Catalog, ProcedureInfo, TableInfo } from './catalog/model';
import { Database } from './db/database';
import { sqlErrors } from './errors';
import { ConnectorMetrics } from './http/metrics';

export interface AllowedObjects {
  catalog: Catalog;
  tables: TableInfo[];
  procedures: ProcedureInfo[];
}

export class ConnectorContext {
  private current?: SqlConnectorSettings;
  readonly metrics: ConnectorMetrics;

  constructor(
    readonly siteName: string,
    readonly db: Database,
    readonly catalog: CatalogCache,
    readonly logger: Logger,
  ) {
    db.onSchemaError = () => catalog.invalidate();
    this.metrics = new ConnectorMetrics(siteName, () => db.poolStats());
    db.onError = (error) => this.metrics.sqlError(error);
  }

  /** Applies new settings (or none, when the site's manifest entry is gone). */
  setSettings(settings: SqlConnectorSettings | undefined): void {
    this.current = settings;
    this.db.configure(settings);
    this.catalog.invalidate();
  }

  get hasSettings(): boolean {
    return this.current !== undefined;
  }

  get settings(): SqlConnectorSettings {
    if (!this.current) throw sqlErrors.notConfigured(this.siteName);
    return this.current;
  }

  async allowed(): Promise<AllowedObjects> {
    const settings = this.settings;
    const catalog = await this.catalog.get();
    return {
      catalog,
      tables: allowedObjects(catalog.tables, settings.tables, true),
      procedures: allowedObjects(catalog.procedures, settings.procedures, false),
    };
  }

  /** The allowed table a path segment names ("Orders", "dbo.Orders"), else 404 TableNotFound. */
  async table(name: string): Promise<TableInfo> {
    const table = resolveObject((await this.allowed()).tables, name);
    if (!table) throw errors.tableNotFound(name.slice(0, 128));
    return table;
  }

  async procedure(name: string): Promise<ProcedureInfo> {
    const procedure = resolveObject((await this.allowed()).procedures, name);
    if (!procedure) throw errors.procedureNotFound(name.slice(0, 128));
    return procedure;
  }
}
