/**
 * What goes into a support bundle, gathered without stopping at the first thing that fails (a
 * broken installation is when a bundle is needed): the manifest without its secrets, the last log
 * lines of each site, `hcm status --json`, `hcm doctor --json`, each site's /metrics, versions and
 * platform. Everything but the manifest passes through the scrubber built from its secrets.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { logDirectory, manifestPath } from '../../config/manifest-store';
import { httpRequest } from '../http-get';
import { collectStatus } from '../commands/status';
import type { ZipEntry } from './zip-writer';
import { scrubber, secretsIn, withoutSecrets } from './secrets';

export interface BundleOptions {
  home: string;
  /** Lines kept from the end of each log (default 1000). */
  logLines: number;
  /** hcm doctor's checks (passed in: the command module loads mssql). */
  doctor: (home: string) => Promise<unknown>;
}

/** Reads at most this much from the end of a log: enough for the lines kept, bounded for huge logs. */
const MAX_LOG_TAIL_BYTES = 8 * 1024 * 1024;

export async function collectBundle(options: BundleOptions): Promise<{ entries: ZipEntry[]; problems: string[] }> {
  const problems: string[] = [];
  const { manifest, secrets } = readRawManifest(options.home, problems);
  const scrub = scrubber(secrets);
  const json = (value: unknown) => scrub(`${JSON.stringify(value, null, 2)}\n`);
  const attempt = async (what: string, work: () => Promise<unknown>) => {
    try {
      return await work();
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
      return { error: (error as Error).message };
    }
  };
  const entries: ZipEntry[] = [];
  if (manifest !== undefined) entries.push({ name: 'manifest.json', content: `${JSON.stringify(withoutSecrets(manifest), null, 2)}\n` });
  entries.push({ name: 'status.json', content: json(await attempt('hcm status', () => collectStatus(options.home))) });
  entries.push({ name: 'doctor.json', content: json(await attempt('hcm doctor', () => options.doctor(options.home))) });
  for (const log of logFiles(options.home)) {
    const lines = await attempt(`log ${log.name}`, async () => lastLines(log.file, options.logLines));
    entries.push({ name: `logs/${log.name}`, content: Array.isArray(lines) ? `${lines.map(scrub).join('\n')}\n` : json(lines) });
  }
  for (const site of sitesOf(manifest)) {
    const text = await attempt(`metrics of ${site.name}`, async () => {
      const answer = await httpRequest(`http://127.0.0.1:${site.port}/metrics`, { timeoutMs: 2000 });
      if (answer.status !== 200) throw new Error(`answered ${answer.status}`);
      return answer.body;
    });
    entries.push({ name: `metrics/${site.name}.txt`, content: typeof text === 'string' ? scrub(text) : json(text) });
  }
  entries.push({ name: 'versions.json', content: json(versions(options.home)) });
  entries.push({ name: 'README.txt', content: readme(entries, problems) });
  return { entries, problems };
}

function readRawManifest(home: string, problems: string[]): { manifest?: unknown; secrets: string[] } {
  // Parsed as plain JSON, not validated: an invalid manifest is a reason to send a bundle.
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestPath(home), 'utf8')) as unknown;
    return { manifest, secrets: secretsIn(manifest) };
  } catch (error) {
    problems.push(`manifest: ${(error as Error).message.split('\n')[0]} (not included: it cannot be cleaned of secrets)`);
    return { secrets: [] };
  }
}

function sitesOf(manifest: unknown): Array<{ name: string; port: number }> {
  const m = manifest as { listener?: { site?: unknown; port?: unknown }; connectors?: Array<{ site?: unknown; port?: unknown }> } | undefined;
  return [m?.listener, ...(Array.isArray(m?.connectors) ? m.connectors : [])]
    .filter((s): s is { site: string; port: number } => typeof s?.site === 'string' && /^[A-Za-z0-9_.-]+$/.test(s.site) && Number.isInteger(s?.port))
    .map((s) => ({ name: s.site, port: s.port }));
}

function logFiles(home: string): Array<{ name: string; file: string }> {
  const dir = logDirectory(home);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((name) => name.endsWith('.log')).sort().map((name) => ({ name, file: path.join(dir, name) }));
}

export function lastLines(file: string, count: number): string[] {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, MAX_LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    if (length < size) lines.shift(); // the first line is cut
    return lines.slice(-count);
  } finally {
    fs.closeSync(fd);
  }
}

function versions(home: string): Record<string, unknown> {
  const packageVersion = (name: string) => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      return null;
    }
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const product = require('../../../../package.json') as { name: string; version: string };
  return {
    product: { name: product.name, version: product.version },
    node: process.versions,
    dependencies: Object.fromEntries(['hyco-https', 'mssql', 'tedious', 'ws', 'express', 'prom-client', 'pino'].map((name) => [name, packageVersion(name)])),
    platform: { os: os.type(), platform: process.platform, release: os.release(), arch: process.arch, cpus: os.cpus().length, memoryBytes: os.totalmem(), hostname: os.hostname() },
    iisnode: process.env.IISNODE_VERSION ?? null,
    home,
    createdAt: new Date().toISOString(),
  };
}

function readme(entries: ZipEntry[], problems: string[]): string {
  return [
    'Hybrid Connection Manager support bundle (hcm support-bundle).',
    '',
    'Secrets are removed: manifest.json has every key, SAS token and password replaced by "(removed)";',
    'every other file had SAS signatures and each manifest secret (plain, base64, URL-encoded) replaced by ***.',
    '',
    'Files:',
    ...entries.map((entry) => `  ${entry.name}`),
    '  README.txt',
    '',
    problems.length === 0 ? 'Everything was collected.' : 'Could not collect:',
    ...problems.map((problem) => `  - ${problem}`),
    '',
  ].join('\n');
}
