/**
 * `hcm demo` (what `npm start` runs): the whole chain offline, then a ready-to-paste curl line,
 * until Ctrl-C. Leaves nothing behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfigurationString } from '../../config/connection-string';
import { createHybridConnectionToken, httpUri } from '../../relay/uris';
import { Command, CommandContext, EXIT_OK, integerOption, stringOption } from '../command';
import { Chain, DEMO_HYBRID_CONNECTION, startChain } from '../demo-chain';
import { untilSignal } from '../signals';

const HELP = `Usage: hcm demo [--relay-port 9351] [--sql-port 1433] [--listener-port 6568] [--connector-port N] [--home DIR]

Runs the whole product offline, as 'npm start' does:
  1. a fresh HCM_HOME in a temporary folder (printed; removed on exit unless --home is given),
  2. the relay emulator (hcm relay) with the hybrid connection '${DEMO_HYBRID_CONNECTION}',
  3. the SQL Server stand-in (hcm sqlserver) with the demo database,
  4. one SQL connector set up against it with 'hcm setup',
  5. the standalone host (hcm start) running the listener and the connector site.
Then it prints a ready-to-paste curl command that calls the connector through the relay, and the
'hcm call' equivalent, and runs until Ctrl-C, stopping everything it started.
HCM_DEMO_VERBOSE=1 also shows the sites' log lines.

Options:
  --relay-port N      relay emulator port (default 9351; 0 = any free port)
  --sql-port N        SQL Server stand-in port (default 1433; 0 = any free port)
  --listener-port N   the listener site's own port (default 6568; 0 = any free port)
  --connector-port N  the connector site's port (default: the next free one from 6569; 0 = any free port)
  --home DIR          keep the installation in DIR (not removed on exit)
  -h, --help          show this help

Exit codes: 0 stopped with Ctrl-C, 1 could not start, 2 bad input (e.g. a port in use).`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the whole chain offline: relay emulator, SQL stand-in, listener, connector.',
  help: HELP,
  options: { 'relay-port': { type: 'string' }, 'sql-port': { type: 'string' }, 'listener-port': { type: 'string' }, 'connector-port': { type: 'string' } },
  async run(context) {
    const ports = {
      relayPort: integerOption(context, 'relay-port', 0, 65535) ?? 9351,
      sqlPort: integerOption(context, 'sql-port', 0, 65535) ?? 1433,
      listenerPort: integerOption(context, 'listener-port', 0, 65535) ?? 6568,
      connectorPort: integerOption(context, 'connector-port', 0, 65535),
    };
    const keepHome = stringOption(context, 'home') !== undefined;
    const home = keepHome ? context.home : fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-demo-'));
    let chain: Chain | undefined;
    // Listen for Ctrl-C from the start: one during start-up stops the demo once it is up, cleanly.
    const stopped = untilSignal();
    try {
      context.print(`HCM_HOME for this demo: ${home}`);
      chain = await startChain({
        home,
        ...ports,
        progressTo: context.stdout,
        siteEnv: { HCM_LOG_LEVEL: context.env.HCM_LOG_LEVEL ?? 'warn' },
        onSiteLine: context.env.HCM_DEMO_VERBOSE ? (line) => context.print(line) : undefined,
      });
      printInstructions(context, home, chain);
      await stopped;
      context.print('Stopping the demo…');
    } finally {
      await chain?.stop();
      if (!keepHome) fs.rmSync(home, { recursive: true, force: true });
    }
    return EXIT_OK;
  },
};

function printInstructions(context: CommandContext, home: string, chain: Chain): void {
  const target = parseConfigurationString(chain.relay.connectionString(DEMO_HYBRID_CONNECTION));
  const token = createHybridConnectionToken(target, target.keyName!, target.key!, { lifetimeSeconds: 24 * 3600 });
  const callPath = '/tables/Orders/items?$top=5';
  context.print('');
  context.print('The demo is running. Call the SQL connector through the relay, as a cloud application would:');
  context.print(`curl -H 'ServiceBusAuthorization: ${token}' '${httpUri(target, callPath)}'`);
  context.print(`node bin/hcm.js call ${DEMO_HYBRID_CONNECTION} GET '${callPath}' --home '${home}'`);
  context.print('Press Ctrl-C to stop.');
}
