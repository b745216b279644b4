/**
 * What every `hcm` command is: a name, a help text, its options (node:util parseArgs), and a run
 * function that returns the exit code (0 success, 1 failure, 2 bad input).
 */
import { parseArgs, ParseArgsConfig } from 'node:util';
import { defaultHome } from '../config/manifest-store';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Bad input from the user: printed without a stack, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export interface CommandContext extends CommandIo {
  options: OptionValues;
  positionals: string[];
  /** --home, else HCM_HOME, else the platform default. */
  home: string;
  print(line?: string): void;
  printError(line: string): void;
}

export interface Command {
  name: string;
  summary: string;
  /** The full --help text: usage line, description, options. */
  help: string;
  options: OptionSpec;
  /** Positional arguments allowed (default 0). */
  maxPositionals?: number;
  run(context: CommandContext): Promise<number>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: OptionSpec = {
  help: { type: 'boolean', short: 'h' },
  home: { type: 'string' },
};

export function parseCommandLine(command: Command, args: string[], io: CommandIo): CommandContext {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: { ...COMMON_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify a positional.*$/s, '.')} See 'hcm ${command.name} --help'.`);
  }
  const values = parsed.values as OptionValues;
  if (!values.help && parsed.positionals.length > (command.maxPositionals ?? 0)) {
    throw new UsageError(`Unexpected argument '${parsed.positionals[command.maxPositionals ?? 0]}'. See 'hcm ${command.name} --help'.`);
  }
  const home = typeof values.home === 'string' ? values.home : defaultHome(io.env);
  return {
    ...io,
    options: values,
    positionals: parsed.positionals,
    home,
    print: (line = '') => io.stdout.write(`${line}\n`),
    printError: (line) => io.stderr.write(`${line}\n`),
  };
}

/** Reads all of stdin as text (for --config-string-stdin, --password-stdin). */
export async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export function stringOption(context: CommandContext, name: string): string | undefined {
  const value = context.options[name];
  return typeof value === 'string' ? value : undefined;
}

export function integerOption(context: CommandContext, name: string, min: number, max: number): number | undefined {
  const text = stringOption(context, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${name} must be a whole number between ${min} and ${max}.`);
  }
  return Number(text);
}
