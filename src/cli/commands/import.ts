/** `hcm import`: a second server takes over the connectors of an `hcm export` file. */
import fs from 'node:fs';
import { ConnectorTransfer, ExistingPolicy, ImportConflictError, ImportOutcome, applyImport, validateTransfer } from '../../config/connector-transfer';
import { ExportFileError, openExport } from '../../config/export-file';
import { updateManifest } from '../../config/manifest-store';
import { isLoopbackPortFree } from '../../config/names';
import { ValidationError } from '../../config/validation';
import { Command, EXIT_OK, UsageError } from '../command';
import { readPassphrase } from './export';

const HELP = `Usage: hcm import FILE [--skip-existing] [--json]

Adds every connector of an 'hcm export' FILE to $HCM_HOME/hcm.json, decrypted with the
passphrase read from standard input (the first line). Each gets this server's next free
MicrosoftSqlConnector_nnn / HybridAppPoolnnn and a free local port (6569 upward), keeps the
hybrid connection (and key) and SQL settings (and password) it had, and the running listener
starts listening on it within 2 s: the relay then spreads calls between both servers.

A hybrid connection this manifest already serves is refused: nothing is imported and the
message names it. With --skip-existing those are skipped (left exactly as they are, and named)
and the others imported. A wrong passphrase, or a file changed by even one byte, changes nothing.

Options:
  --skip-existing   skip hybrid connections this manifest already serves instead of refusing
  --json            print {"imported":[{"connector","appPool","port","hybridConnection","changed"}],"skipped":[…]}
  --home DIR        the manifest folder (default: HCM_HOME)
  -h, --help        show this help

Example:  printf '%s\\n' "$PASSPHRASE" | hcm import hcm-export.bin

Exit codes: 0 imported (or all skipped), 1 the manifest cannot be written, 2 bad input (unreadable
file, wrong passphrase, damaged file, a hybrid connection already served).`;

export const importCommand: Command = {
  name: 'import',
  summary: 'Add the connectors of an hcm export file (a second manager for the same hybrid connections).',
  help: HELP,
  options: { 'skip-existing': { type: 'boolean' }, json: { type: 'boolean' } },
  maxPositionals: 1,
  async run(context) {
    const file = context.positionals[0];
    if (file === undefined || file === '') throw new UsageError('Name the export file: hcm import FILE.');
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      throw new UsageError(`Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
    const passphrase = await readPassphrase(context.stdin);
    let transfer: ConnectorTransfer;
    try {
      transfer = validateTransfer(await openExport(bytes, passphrase));
    } catch (error) {
      if (error instanceof ExportFileError || error instanceof ValidationError) throw new UsageError(error.message);
      throw error;
    }
    const policy: ExistingPolicy = context.options['skip-existing'] ? 'skip' : 'refuse';
    let outcome: ImportOutcome | undefined;
    try {
      await updateManifest(context.home, async (manifest) => {
        outcome = await applyImport(manifest, transfer, policy, isLoopbackPortFree);
        return outcome.imported.length === 0 ? manifest : outcome.manifest;
      });
    } catch (error) {
      if (error instanceof ImportConflictError || error instanceof ValidationError) throw new UsageError(error.message);
      throw error;
    }
    const { imported, skipped } = outcome!;
    // "changed" as hcm setup --json has it, so the installer handles both alike.
    const rows = imported.map((c) => ({ connector: c.site, appPool: c.appPool, port: c.port, hybridConnection: c.hybridConnection.entityPath, changed: true }));
    if (context.options.json) context.print(JSON.stringify({ imported: rows, skipped }));
    else {
      for (const r of rows) context.print(`Imported ${r.hybridConnection} as ${r.connector} (app pool ${r.appPool}, port ${r.port}).`);
      for (const s of skipped) context.print(`Skipped ${s}: this manifest already serves it (left as it was).`);
      if (rows.length === 0) context.print('Nothing imported.');
    }
    return EXIT_OK;
  },
};
