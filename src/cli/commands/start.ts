/** `hcm start`: the standalone host — the listener and every connector as child processes, as IIS would run them. */
import { ensureHome, logDirectory, manifestPath } from '../../config/manifest-store';
import { StandaloneHost } from '../../host/standalone-host';
import { Command, EXIT_OK } from '../command';
import { untilSignal } from '../signals';

export const startCommand: Command = {
  name: 'start',
  summary: 'Run the listener and every connector site (standalone host, no IIS).',
  help: `Usage: hcm start [--home DIR]

Runs the sites of $HCM_HOME/hcm.json the way IIS and iisnode would: the listener
(MicrosoftAzureBizTalkHybridListener) and each MicrosoftSqlConnector_nnn as a child process with
PORT, HCM_HOME and HCM_SITE_NAME. A site that dies is restarted with back-off (0.5 s up to 30 s);
a connector added with 'hcm setup' starts within 2 s, one removed with 'hcm remove' stops.
Each site's output goes to $HCM_HOME/logs/<site>.log and, prefixed with its name, to the console.
Stops every site cleanly on Ctrl-C (SIGINT) or SIGTERM. For running it as a service, see
docs/hcm.service (systemd).

Options:
  --home DIR   the manifest folder (default: HCM_HOME)
  -h, --help   show this help`,
  options: {},
  async run(context) {
    ensureHome(context.home);
    const host = new StandaloneHost({ home: context.home, onLine: (line) => context.print(line) });
    context.print(`[host] manifest ${manifestPath(context.home)}, logs in ${logDirectory(context.home)}`);
    await host.start();
    const signal = await untilSignal();
    context.print(`[host] ${signal}: stopping every site`);
    await host.stop();
    return EXIT_OK;
  },
};
