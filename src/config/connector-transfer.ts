/**
 * What `hcm export` carries and how `hcm import` applies it: the connectors' hybrid connections
 * (with their keys) and SQL settings (with their passwords), never a site name or a port — the
 * second server gets its own next free names and local ports, and listens on the same hybrid
 * connections as a second listener.
 */
import { describeHybridConnection } from './connection-string';
import { findConnectorFor } from './connector-setup';
import { ConnectorEntry, Manifest, StoredHybridConnection, toHybridConnectionString } from './manifest';
import { connectorNames, nextConnectorNumber, nextConnectorPort } from './names';
import { SqlConnectorSettings, validateSqlSettings } from './sql-settings';
import { FieldErrors } from './validation';

export const TRANSFER_KIND = 'hcm-connectors';

export interface TransferredConnector {
  kind: 'sql';
  /** The site it had on the exporting server, for messages only. */
  exportedFrom: string;
  hybridConnection: StoredHybridConnection;
  settings: SqlConnectorSettings;
}

export interface ConnectorTransfer {
  kind: typeof TRANSFER_KIND;
  exportedAt: string;
  connectors: TransferredConnector[];
}

export function connectorsForExport(manifest: Manifest, now = new Date()): ConnectorTransfer {
  return {
    kind: TRANSFER_KIND,
    exportedAt: now.toISOString(),
    connectors: manifest.connectors.map((c) => ({ kind: 'sql', exportedFrom: c.site, hybridConnection: c.hybridConnection, settings: c.settings })),
  };
}

/** Checks a decrypted payload field by field (it came from another machine). */
export function validateTransfer(value: unknown): ConnectorTransfer {
  const problems = new FieldErrors();
  if (!problems.isObject(value, 'export')) problems.throwIfAny('The export file');
  const v = value as Record<string, unknown>;
  if (v.kind !== TRANSFER_KIND) problems.add('export.kind', `must be "${TRANSFER_KIND}"`);
  if (!Array.isArray(v.connectors)) problems.add('export.connectors', 'must be a list');
  problems.throwIfAny('The export file');
  const connectors = (v.connectors as unknown[]).map((entry, index) => {
    const where = `export.connectors[${index}]`;
    if (!problems.isObject(entry, where)) return undefined;
    const e = entry as Record<string, unknown>;
    const settings = validateSqlSettings(e.settings ?? {}, `${where}.settings`, problems);
    const hc = e.hybridConnection as StoredHybridConnection;
    try {
      toHybridConnectionString(hc);
    } catch (error) {
      problems.add(`${where}.hybridConnection`, `is not a valid hybrid connection (${(error as Error).message})`);
    }
    return { kind: 'sql' as const, exportedFrom: String(e.exportedFrom ?? `connector ${index + 1}`), hybridConnection: hc, settings: settings! };
  });
  problems.throwIfAny('The export file');
  return { kind: TRANSFER_KIND, exportedAt: String(v.exportedAt ?? ''), connectors: connectors as TransferredConnector[] };
}

export type ExistingPolicy = 'refuse' | 'skip';

export interface ImportOutcome {
  manifest: Manifest;
  imported: ConnectorEntry[];
  /** Hybrid connections this manifest already serves, left as they are (with --skip-existing). */
  skipped: string[];
}

/** Thrown (policy "refuse") when the manifest already serves one of the hybrid connections. */
export class ImportConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportConflictError';
  }
}

/**
 * Adds each transferred connector as a new connector with the next free site number and a free
 * local port. A hybrid connection the manifest already serves is refused (nothing imported) or
 * skipped, by `policy`.
 */
export async function applyImport(
  manifest: Manifest,
  transfer: ConnectorTransfer,
  policy: ExistingPolicy,
  isPortFree?: (port: number) => Promise<boolean>,
): Promise<ImportOutcome> {
  const next = structuredClone(manifest);
  const existing = transfer.connectors.filter((c) => findConnectorFor(next, toHybridConnectionString(c.hybridConnection)));
  const describe = (c: TransferredConnector) => describeHybridConnection(toHybridConnectionString(c.hybridConnection));
  if (existing.length > 0 && policy === 'refuse') {
    const served = existing.map((c) => `${describe(c)} (already served here by ${findConnectorFor(next, toHybridConnectionString(c.hybridConnection))!.site})`);
    throw new ImportConflictError(`Refused: this manifest already serves ${served.join(', ')}. Nothing was imported; give --skip-existing to import the others and leave those as they are.`);
  }
  const imported: ConnectorEntry[] = [];
  for (const c of transfer.connectors) {
    if (existing.includes(c)) continue;
    const entry: ConnectorEntry = {
      ...connectorNames(nextConnectorNumber(next)),
      port: await nextConnectorPort(next, isPortFree),
      kind: 'sql',
      hybridConnection: structuredClone(c.hybridConnection),
      settings: structuredClone(c.settings),
    };
    next.connectors.push(entry);
    imported.push(entry);
  }
  return { manifest: next, imported, skipped: existing.map(describe) };
}
