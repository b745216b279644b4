/** `hcm export`: the manifest's connectors, with their secrets, encrypted for a second server. */
import fs from 'node:fs';
import { connectorsForExport } from '../../config/connector-transfer';
import { ExportFileError, MIN_PASSPHRASE_LENGTH, sealExport } from '../../config/export-file';
import { readManifest } from '../../config/manifest-store';
import { Command, EXIT_FAILURE, EXIT_OK, readStdin, stringOption, UsageError } from '../command';

const HELP = `Usage: hcm export --to FILE [--force] [--json]

Writes every connector of $HCM_HOME/hcm.json — its hybrid connection with the key, and its SQL
settings with the password — to FILE, encrypted with a passphrase read from standard input (the
first line; at least ${MIN_PASSPHRASE_LENGTH} characters). Nothing in FILE is readable without it: the key is derived
with scrypt from the passphrase and a random salt, the content is sealed with AES-256-GCM, and the
format is versioned. On a second server, 'hcm import FILE' with the same passphrase makes it a
second listener for the same hybrid connections (Azure Relay spreads calls among up to 25).

Site names and local ports are not exported: the second server picks its own.
Keep FILE and the passphrase apart (e.g. the file on a share, the passphrase in a password manager).

Options:
  --to FILE    where to write the export (created with mode 0600; refused if it exists)
  --force      replace FILE if it exists
  --json       print {"file","connectors":[entity paths]}
  --home DIR   the manifest folder (default: HCM_HOME)
  -h, --help   show this help

Example:  printf '%s\\n' "$PASSPHRASE" | hcm export --to hcm-export.bin

Exit codes: 0 written, 1 the manifest cannot be read or FILE cannot be written, 2 bad input.`;

/** The first line of stdin, without its line break: the passphrase. */
export async function readPassphrase(stdin: NodeJS.ReadableStream): Promise<string> {
  const text = await readStdin(stdin);
  const passphrase = text.split(/\r?\n/)[0] ?? '';
  if (passphrase === '') throw new UsageError('Give the passphrase on standard input (one line).');
  return passphrase;
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'Write the connectors, encrypted with a passphrase, for a second server.',
  help: HELP,
  options: { to: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(context) {
    const file = stringOption(context, 'to');
    if (file === undefined || file === '') throw new UsageError('Give the file to write with --to FILE.');
    if (!context.options.force && fs.existsSync(file)) throw new UsageError(`${file} exists; give --force to replace it.`);
    const manifest = readManifest(context.home);
    if (manifest.connectors.length === 0) {
      context.printError('hcm export: the manifest has no connectors to export.');
      return EXIT_FAILURE;
    }
    const passphrase = await readPassphrase(context.stdin);
    let sealed: Buffer;
    try {
      sealed = await sealExport(connectorsForExport(manifest), passphrase);
    } catch (error) {
      if (error instanceof ExportFileError) throw new UsageError(error.message);
      throw error;
    }
    fs.writeFileSync(file, sealed, { mode: 0o600, flag: context.options.force ? 'w' : 'wx' });
    const paths = manifest.connectors.map((c) => c.hybridConnection.entityPath);
    if (context.options.json) context.print(JSON.stringify({ file, connectors: paths }));
    else context.print(`Exported ${paths.length} connector(s) (${paths.join(', ')}) to ${file}. On the second server: hcm import ${file}`);
    return EXIT_OK;
  },
};
