/**
 * The standalone host: runs the listener and every connector of the manifest as child processes,
 * as IIS would, and follows manifest changes (a new connector starts, a removed one stops, a
 * moved port restarts it).
 */
import path from 'node:path';
import { LISTENER_SITE, Manifest } from '../config/manifest';
import { logDirectory, readManifest } from '../config/manifest-store';
import { ManifestWatcher, watchManifest } from '../config/manifest-watcher';
import { SiteProcess, SiteSpec } from './site-process';

const PACKAGE_ROOT = path.join(__dirname, '..', '..', '..');
export const LISTENER_SCRIPT = path.join(PACKAGE_ROOT, 'sites', LISTENER_SITE, 'server.js');
export const CONNECTOR_SCRIPT = path.join(PACKAGE_ROOT, 'sites', 'MicrosoftSqlConnector', 'server.js');

export interface HostOptions {
  home: string;
  /** Every output line of every site, prefixed with its name. */
  onLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  watchIntervalMs?: number;
  stopTimeoutMs?: number;
}

export function sitesOf(manifest: Manifest): SiteSpec[] {
  return [
    { site: manifest.listener.site, script: LISTENER_SCRIPT, port: manifest.listener.port },
    ...manifest.connectors.map((c) => ({ site: c.site, script: CONNECTOR_SCRIPT, port: c.port })),
  ];
}

export class StandaloneHost {
  private readonly running = new Map<string, SiteProcess>();
  private watcher?: ManifestWatcher;
  private reconciling: Promise<void> = Promise.resolve();

  constructor(private readonly options: HostOptions) {}

  sites(): SiteProcess[] {
    return [...this.running.values()];
  }

  site(name: string): SiteProcess | undefined {
    return this.running.get(name);
  }

  async start(): Promise<void> {
    await this.reconcile(readManifest(this.options.home));
    this.watcher = watchManifest(this.options.home, (manifest) => void this.reconcile(manifest), {
      intervalMs: this.options.watchIntervalMs,
      onError: (error) => this.print(`[host] the manifest changed but cannot be used (${error.message}); keeping the current sites`),
    });
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    await this.reconciling;
    await Promise.all(this.sites().map((site) => site.stop()));
    this.running.clear();
  }

  /** Brings the running children in line with the manifest; serialised so changes never interleave. */
  reconcile(manifest: Manifest): Promise<void> {
    this.reconciling = this.reconciling.then(() => this.applyManifest(manifest));
    return this.reconciling;
  }

  private async applyManifest(manifest: Manifest): Promise<void> {
    const wanted = new Map(sitesOf(manifest).map((spec) => [spec.site, spec]));
    for (const [name, process] of this.running) {
      const spec = wanted.get(name);
      if (spec && spec.port === process.spec.port) continue;
      this.print(`[host] stopping ${name}${spec ? ' (its port changed)' : ' (removed from the manifest)'}`);
      await process.stop();
      this.running.delete(name);
    }
    for (const [name, spec] of wanted) {
      if (this.running.has(name)) continue;
      const process = new SiteProcess(spec, {
        home: this.options.home,
        logDir: logDirectory(this.options.home),
        onLine: (site, line) => this.print(`${site} | ${line}`),
        env: this.options.env,
        stopTimeoutMs: this.options.stopTimeoutMs,
      });
      this.running.set(name, process);
      this.print(`[host] starting ${name} on port ${spec.port}`);
      process.start();
    }
  }

  private print(line: string): void {
    this.options.onLine?.(line);
  }
}
