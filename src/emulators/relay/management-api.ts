/**
 * The emulator's management surface (a Manage token, namespace-wide unless noted):
 *   GET    /$management/hybridconnections              → {"value":[{name, listenerCount, requiresClientAuthorization}]}
 *   GET    /$management/hybridconnections/<name>       → one of them (a Manage token for it is enough)
 *   PUT    /$management/hybridconnections/<name>       {"requiresClientAuthorization": bool} → 201 new / 200 updated
 *   DELETE /$management/hybridconnections/<name>       → 200; its listeners are closed with 1001
 *   POST   /$management/authorizationrules/<rule>/regeneratekeys                      {"keyType":"PrimaryKey"|"SecondaryKey"}
 *   POST   /$management/hybridconnections/<name>/authorizationrules/<rule>/regeneratekeys
 *          → {keyName, primaryKey, secondaryKey, primaryConnectionString, secondaryConnectionString}
 * listenerCount is the portal's "Connected" signal. Errors use the relay's error catalogue.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logAccess, Logger } from '../../common/logger';
import { tokenSources } from './auth/auth-scheme';
import type { Authorizer } from './auth/authorizer';
import type { AuthorizationRule, KeyType } from './model';
import { hybridConnectionNameProblem } from './model';
import type { RelayAddress } from './relay-address';
import { RelayError, relayErrors, sendHttpError, trackingContext } from './relay-errors';
import type { HybridConnection, HybridConnectionRegistry } from './registry';

export interface ManagementDeps {
  registry: HybridConnectionRegistry;
  authorizer: Authorizer;
  logger: Logger;
  /** Connection string for a rule (EntityPath when the rule or the caller names a hybrid connection). */
  connectionString(rule: AuthorizationRule, key: string, entityPath?: string): string;
  onRemoved(hybridConnection: HybridConnection): void;
}

const MAX_BODY_BYTES = 64 * 1024;

type Route =
  | { kind: 'list' }
  | { kind: 'entity'; name: string }
  | { kind: 'regenerate'; rule: string; hybridConnection?: string };

function route(path: string): Route | undefined {
  const rest = path.replace(/^\$management\/?/i, '').replace(/\/+$/, '');
  if (/^hybridconnections$/i.test(rest)) return { kind: 'list' };
  let match = /^hybridconnections\/(.+)\/authorizationrules\/([^/]+)\/regeneratekeys$/i.exec(rest);
  if (match) return { kind: 'regenerate', hybridConnection: match[1], rule: match[2] };
  match = /^authorizationrules\/([^/]+)\/regeneratekeys$/i.exec(rest);
  if (match) return { kind: 'regenerate', rule: match[1] };
  match = /^hybridconnections\/(.+)$/i.exec(rest);
  if (match) return { kind: 'entity', name: match[1] };
  return undefined;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return reject(relayErrors.badRequest(`The body is larger than ${MAX_BODY_BYTES} bytes.`));
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text === '') return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(relayErrors.badRequest('The body is not valid JSON.'));
      }
    });
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(value));
}

export class ManagementApi {
  constructor(private readonly deps: ManagementDeps) {}

  handle(req: IncomingMessage, res: ServerResponse, address: RelayAddress): void {
    const started = Date.now();
    const tracking = trackingContext(req.headers.host, address.path, address.param('sb-hc-id'));
    res.on('close', () =>
      logAccess(this.deps.logger, { method: req.method ?? '?', target: `/${address.path}`, status: res.statusCode, ms: Date.now() - started, correlationId: tracking.trackingId }),
    );
    this.serve(req, res, address).catch((error: unknown) => {
      req.resume();
      if (!(error instanceof RelayError)) this.deps.logger.error({ err: error }, 'Management request failed.');
      sendHttpError(res, req.method, error instanceof RelayError ? error : relayErrors.internal(), tracking);
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse, address: RelayAddress): Promise<void> {
    const target = route(address.path);
    if (!target) throw relayErrors.managementNotFound('No management operation has this address.');
    const method = req.method ?? 'GET';
    if (target.kind === 'list') {
      if (method !== 'GET') throw relayErrors.methodNotAllowed();
      this.authorize(req, address, '');
      return sendJson(res, 200, { value: this.deps.registry.list().map((hc) => hc.describe()) });
    }
    if (target.kind === 'regenerate') return this.regenerate(req, res, address, target);
    return this.entity(req, res, address, target.name, method);
  }

  private async entity(req: IncomingMessage, res: ServerResponse, address: RelayAddress, name: string, method: string): Promise<void> {
    const { registry } = this.deps;
    if (method === 'GET') {
      this.authorize(req, address, name, registry.get(name));
      const found = registry.get(name);
      if (!found) throw relayErrors.managementNotFound(`There is no hybrid connection named "${name.slice(0, 100)}".`);
      return sendJson(res, 200, found.describe());
    }
    if (method === 'PUT') {
      this.authorize(req, address, name, registry.get(name));
      const problem = hybridConnectionNameProblem(name);
      if (problem) throw relayErrors.badRequest(`The hybrid connection name ${problem}.`);
      const body = await readJson(req);
      const settings = (body as { properties?: unknown }).properties ?? body;
      const requires = (settings as { requiresClientAuthorization?: unknown }).requiresClientAuthorization;
      if (requires !== undefined && typeof requires !== 'boolean') throw relayErrors.badRequest('requiresClientAuthorization must be true or false.');
      const { hybridConnection, created } = registry.add({ name, requiresClientAuthorization: requires !== false });
      return sendJson(res, created ? 201 : 200, hybridConnection.describe());
    }
    if (method === 'DELETE') {
      this.authorize(req, address, name, registry.get(name));
      const removed = registry.remove(name);
      if (!removed) throw relayErrors.managementNotFound(`There is no hybrid connection named "${name.slice(0, 100)}".`);
      this.deps.onRemoved(removed);
      return sendJson(res, 200, { name: removed.name, deleted: true });
    }
    throw relayErrors.methodNotAllowed();
  }

  private async regenerate(req: IncomingMessage, res: ServerResponse, address: RelayAddress, target: { rule: string; hybridConnection?: string }): Promise<void> {
    if (req.method !== 'POST') throw relayErrors.methodNotAllowed();
    const hybridConnection = target.hybridConnection === undefined ? undefined : this.deps.registry.get(target.hybridConnection);
    this.authorize(req, address, target.hybridConnection ?? '', hybridConnection);
    if (target.hybridConnection !== undefined && !hybridConnection) {
      throw relayErrors.managementNotFound(`There is no hybrid connection named "${target.hybridConnection.slice(0, 100)}".`);
    }
    const body = (await readJson(req)) as { keyType?: unknown };
    if (body.keyType !== 'PrimaryKey' && body.keyType !== 'SecondaryKey') {
      throw relayErrors.badRequest('The body must be {"keyType":"PrimaryKey"} or {"keyType":"SecondaryKey"}.');
    }
    const rule = this.deps.registry.regenerateKeys(target.rule, body.keyType as KeyType, hybridConnection);
    if (!rule) throw relayErrors.managementNotFound(`There is no authorization rule named "${target.rule.slice(0, 100)}" here.`);
    this.deps.logger.info({ rule: rule.name, keyType: body.keyType, hybridConnection: hybridConnection?.name }, 'Regenerated a key.');
    return sendJson(res, 200, {
      keyName: rule.name,
      primaryKey: rule.primaryKey,
      secondaryKey: rule.secondaryKey,
      primaryConnectionString: this.deps.connectionString(rule, rule.primaryKey, hybridConnection?.name),
      secondaryConnectionString: this.deps.connectionString(rule, rule.secondaryKey, hybridConnection?.name),
    });
  }

  /** Requires a Manage token whose audience covers the entity ('' = the namespace); throws the relay error. */
  private authorize(req: IncomingMessage, address: RelayAddress, entityPath: string, hybridConnection?: HybridConnection): void {
    const decision = this.deps.authorizer.authorize({
      operation: 'manage',
      right: 'Manage',
      hybridConnection,
      entityPath,
      resource: `sb://${req.headers.host ?? 'localhost'}/${entityPath}`,
      tokens: tokenSources(req.headers, address),
      now: Date.now(),
    });
    if (decision.outcome === 'rejected') throw decision.error;
  }
}
