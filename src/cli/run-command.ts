/** Runs one command with its arguments: --help, then the command, mapping failures to exit codes. */
import { redactText } from '../common/redact';
import { Command, CommandIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseCommandLine, UsageError } from './command';

export async function runCommand(command: Command, args: string[], io: CommandIo): Promise<number> {
  try {
    const context = parseCommandLine(command, args, io);
    if (context.options.help) {
      io.stdout.write(`${command.help}\n`);
      return EXIT_OK;
    }
    return await command.run(context);
  } catch (error) {
    const message = redactText((error as Error).message ?? String(error));
    io.stderr.write(`hcm ${command.name}: ${message}\n`);
    if (error instanceof UsageError) return EXIT_USAGE;
    if (io.env.HCM_DEBUG) io.stderr.write(`${redactText(String((error as Error).stack))}\n`);
    return EXIT_FAILURE;
  }
}
