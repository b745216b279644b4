/**
 * The whole chain on one machine: relay emulator, SQL Server stand-in with the demo database, one
 * connector set up with `hcm setup`, and the standalone host running the sites. `hcm demo` runs it
 * for people; tests and benchmarks run it for themselves.
 */
import { Writable } from 'node:stream';
import { silentLogger } from '../common/logger';
import { ConnectorEntry, Manifest } from '../config/manifest';
import { readManifest, updateManifest } from '../config/manifest-store';
import { anyFreeLoopbackPort, isLoopbackPortFree } from '../config/names';
import type { RelayEmulator } from '../emulators/relay';
import type { SqlServerStandIn } from '../emulators/sqlserver';
import { StandaloneHost } from '../host/standalone-host';
import { UsageError } from './command';
import { setupCommand } from './commands/setup';
import { getJson } from './http-get';
import { Progress, waitFor } from './progress';
import { runCommand } from './run-command';

export const DEMO_HYBRID_CONNECTION = 'sql-orders';
export const DEMO_PROCEDURES = ['dbo.GetCustomerOrders', 'dbo.GetOrderDetails', 'dbo.PlaceOrder', 'dbo.SearchProducts'];

export interface ChainOptions {
  home: string;
  relayPort: number;
  sqlPort: number;
  listenerPort: number;
  /** The connector site's port; 0 = any free port; absent = the next free one from 6569, as `hcm setup` picks. */
  connectorPort?: number;
  /** Where progress lines go (animated on a terminal); silent when absent. */
  progressTo?: NodeJS.WritableStream;
  /** Each site's output line, prefixed; dropped when absent. */
  onSiteLine?: (line: string) => void;
  /** Extra environment for the sites (e.g. HCM_LOG_LEVEL). */
  siteEnv?: NodeJS.ProcessEnv;
  /** Extra `hcm setup` flags for the connector (e.g. --allow-query). */
  setupFlags?: string[];
}

export interface Chain {
  relay: RelayEmulator;
  sql: SqlServerStandIn;
  host: StandaloneHost;
  manifest: Manifest;
  connector: ConnectorEntry;
  stop(): Promise<void>;
}

export async function startChain(options: ChainOptions): Promise<Chain> {
  const progress = new Progress(options.progressTo ?? discard());
  const parts: Partial<Chain> = {};
  const stop = async () => {
    await parts.host?.stop();
    if (parts.relay?.status === 'Running') await parts.relay.close();
    if (parts.sql?.status === 'Running') await parts.sql.close();
  };
  try {
    if (options.listenerPort !== 0 && !(await isLoopbackPortFree(options.listenerPort))) {
      throw new UsageError(`The listener's port ${options.listenerPort} is in use; stop what holds it or choose another (0 = any free port).`);
    }
    // The emulators load only here, so other commands (and an IIS server) never load them.
    const { RelayEmulator } = await import('../emulators/relay');
    const { DEMO_DATABASE, DEMO_LOGIN, demoSeedSql, SqlServerStandIn } = await import('../emulators/sqlserver');
    const relay = await progress.step('relay emulator', async () => {
      parts.relay = new RelayEmulator({ port: options.relayPort, hybridConnections: [{ name: DEMO_HYBRID_CONNECTION }], logger: silentLogger() });
      await parts.relay.start().catch((error: NodeJS.ErrnoException) => portHint(error, 'relay-port'));
      progress.note(`relay emulator on 127.0.0.1:${parts.relay.address().port}`);
      return parts.relay;
    });
    const sql = await progress.step(`SQL Server stand-in with database ${DEMO_DATABASE}`, async () => {
      parts.sql = new SqlServerStandIn({ port: options.sqlPort, seedSql: demoSeedSql(), logger: silentLogger() });
      await parts.sql.start().catch((error: NodeJS.ErrnoException) => portHint(error, 'sql-port'));
      progress.note(`SQL Server stand-in on 127.0.0.1:${parts.sql.address().port}`);
      return parts.sql;
    });
    await progress.step("connector set up with 'hcm setup'", async () => {
      await updateManifest(options.home, async (manifest) => {
        manifest.listener.port = options.listenerPort === 0 ? await anyFreeLoopbackPort() : options.listenerPort;
        return manifest;
      });
      await runSetup(options.home, relay.connectionString(DEMO_HYBRID_CONNECTION), [
        '--sql-server', '127.0.0.1', '--sql-port', String(sql.address().port), '--database', DEMO_DATABASE, '--user', DEMO_LOGIN.user,
        '--procedures', DEMO_PROCEDURES.join(','), ...(options.setupFlags ?? []),
      ], DEMO_LOGIN.password);
      if (options.connectorPort !== undefined) {
        const port = options.connectorPort === 0 ? await anyFreeLoopbackPort() : options.connectorPort;
        await updateManifest(options.home, (manifest) => {
          manifest.connectors[0].port = port;
          return manifest;
        });
      }
    });
    const manifest = readManifest(options.home);
    const connector = manifest.connectors[0];
    const host = await progress.step(`listener (port ${manifest.listener.port}) and ${connector.site} (port ${connector.port})`, async () => {
      parts.host = new StandaloneHost({ home: options.home, env: options.siteEnv, onLine: options.onSiteLine });
      await parts.host.start();
      await waitUntilServing(manifest, connector);
      return parts.host;
    });
    return { relay, sql, host, manifest, connector, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs `hcm setup` in-process (the same command a person runs); throws with its message when it refuses. */
export async function runSetup(home: string, configString: string, flags: string[], sqlPassword?: string): Promise<void> {
  const errors: string[] = [];
  const code = await runCommand(setupCommand, ['--home', home, '--config-string', configString, ...flags], {
    stdout: discard(),
    stderr: collect(errors),
    stdin: process.stdin,
    env: sqlPassword === undefined ? {} : { HCM_SQL_PASSWORD: sqlPassword },
  });
  if (code !== 0) throw new Error(`hcm setup failed: ${errors.join('').trim()}`);
}

/** Ready means: the connector reaches its database and the listener holds its relay connection. */
export async function waitUntilServing(manifest: Manifest, connector: ConnectorEntry, timeoutMs = 60_000): Promise<void> {
  await waitFor('the connector to reach its database', async () =>
    (await getJson<{ status: string }>(`http://127.0.0.1:${connector.port}/health/ready`)).value?.status === 'ready' ? true : undefined, timeoutMs);
  await waitFor('the listener to connect to the relay', async () => {
    const status = await getJson<{ hybridConnections: Array<{ connector: string; state: string }> }>(`http://127.0.0.1:${manifest.listener.port}/status`);
    return status.value?.hybridConnections.some((hc) => hc.connector === connector.site && hc.state === 'Connected') ? true : undefined;
  }, timeoutMs);
}

function portHint(error: NodeJS.ErrnoException, option: string): never {
  if (error.code === 'EADDRINUSE') throw new UsageError(`${error.message} (or use --${option} 0 for any free port)`);
  throw error;
}

function discard(): NodeJS.WritableStream {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

function collect(into: string[]): NodeJS.WritableStream {
  return new Writable({ write: (chunk, _encoding, done) => { into.push(String(chunk)); done(); } });
}
