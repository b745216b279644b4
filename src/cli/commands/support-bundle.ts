/** `hcm support-bundle --to FILE.zip`: one file to attach to a support request, without secrets. */
import fs from 'node:fs';
import path from 'node:path';
import { Command, EXIT_OK, integerOption, stringOption, UsageError } from '../command';

export const supportBundleCommand: Command = {
  name: 'support-bundle',
  summary: 'Write a zip with what support needs (manifest without secrets, logs, status, doctor, versions).',
  help: `Usage: hcm support-bundle --to FILE.zip [--log-lines N] [--force]

Gathers, into one zip file readable only by you:
  manifest.json      $HCM_HOME/hcm.json with every key, SAS token and password removed
  logs/<site>.log    the last lines of each site's log ($HCM_HOME/logs)
  status.json        what 'hcm status --json' prints
  doctor.json        what 'hcm doctor --json' prints
  metrics/<site>.txt each running site's /metrics
  versions.json      hcm, Node.js and library versions, operating system and platform
  README.txt         what is inside and anything that could not be collected
Every file other than the manifest has SAS signatures and each secret of the manifest (as is,
base64 or URL-encoded) replaced by ***. Nothing is sent anywhere: attach the file yourself.

Options:
  --to FILE          where to write the zip (required)
  --log-lines N      lines kept from the end of each log (default 1000)
  --force            replace FILE if it exists
  --home DIR         the manifest folder (default: HCM_HOME)
  -h, --help         show this help

Exit codes: 0 when the bundle was written (even if some part could not be collected: README.txt
says which), 2 on bad input.`,
  options: { to: { type: 'string' }, 'log-lines': { type: 'string' }, force: { type: 'boolean' } },
  async run(context) {
    const to = stringOption(context, 'to');
    if (!to) throw new UsageError("Give --to FILE.zip: where to write the bundle. See 'hcm support-bundle --help'.");
    const file = path.resolve(to);
    if (fs.existsSync(file) && !context.options.force) throw new UsageError(`${file} exists; give --force to replace it, or another --to.`);
    if (!fs.existsSync(path.dirname(file))) throw new UsageError(`The folder ${path.dirname(file)} does not exist.`);
    const logLines = integerOption(context, 'log-lines', 1, 1_000_000) ?? 1000;
    // Loaded only when run: the doctor loads mssql, and every other hcm command stays light.
    const [{ collectBundle }, { writeZip }, { runDoctor }] = await Promise.all([
      import('../support-bundle/collect'),
      import('../support-bundle/zip-writer'),
      import('./doctor'),
    ]);
    const { entries, problems } = await collectBundle({ home: context.home, logLines, doctor: runDoctor });
    await writeZip(file, entries);
    context.print(`Wrote ${file} (${entries.length} files).`);
    for (const problem of problems) context.printError(`Not collected: ${problem}`);
    return EXIT_OK;
  },
};
