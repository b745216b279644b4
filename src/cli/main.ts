/** `hcm`: the command-line entry. Dispatches to a command; exit codes 0 ok, 1 failure, 2 bad input. */
import { COMMANDS } from './commands';
import { Command, CommandIo, EXIT_OK, EXIT_USAGE } from './command';
import { guardAgainstClosedOutput } from './output-closed';
import { runCommand } from './run-command';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../../package.json') as { version: string };

function overview(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: hcm <command> [options]',
    '',
    'Hybrid Connection Manager: reach an on-premises SQL Server from the cloud through an Azure Relay',
    'hybrid connection, with no inbound port opened.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (hcm <command> --help for a command)',
    '  -v, --version  print the version',
    '',
    "Every command takes --home DIR (default: HCM_HOME, else ~/.hcm or %ProgramData%\\HybridConnectionManager).",
  ].join('\n');
}

export async function main(args: string[], io: CommandIo = defaultIo(), commands: Command[] = COMMANDS): Promise<number> {
  if (io.stdout === process.stdout) guardAgainstClosedOutput();
  const [first, ...rest] = args;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(`${topic ? topic.help : overview(commands)}\n`);
    return EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${version}\n`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    io.stderr.write(`hcm: unknown command '${first.slice(0, 40)}'. Run 'hcm --help' for the list.\n`);
    return EXIT_USAGE;
  }
  return runCommand(command, rest, io);
}

function defaultIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
