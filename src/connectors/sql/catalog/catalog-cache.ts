/**
 * The catalog, loaded on first use and kept for `ttlMs`; loads in flight are shared. It is thrown
 * away when the settings change or SQL Server says an object or column is unknown (208/207), so a
 * schema change is picked up without a restart.
 */
import type { Logger } from '../../../common/logger';
import { Database } from '../db/database';
import { loadCatalog } from './load-catalog';
import { Catalog } from './model';

export class CatalogCache {
  private cached?: { catalog: Catalog; at: number };
  private loading?: Promise<Catalog>;
  private generation = 0;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly ttlMs = 60_000,
  ) {}

  async get(): Promise<Catalog> {
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return this.cached.catalog;
    if (!this.loading) {
      const generation = this.generation;
      this.loading = loadCatalog(this.db, this.logger)
        .then((catalog) => {
          if (generation === this.generation) this.cached = { catalog, at: Date.now() };
          return catalog;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  invalidate(): void {
    this.generation += 1;
    this.cached = undefined;
  }
}
