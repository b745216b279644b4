/**
 * The hybrid connections and shared access rules of the emulated namespace, and the listeners
 * connected to each hybrid connection. Paths are matched as Azure does: case-insensitively, the
 * longest configured name that is a whole-segment prefix of the path wins.
 */
import { randomBytes } from 'node:crypto';
import type { ListenerChannel } from './control-channel';
import { DEV_PRIMARY_KEY, DEV_SECONDARY_KEY, ROOT_RULE_NAME } from './constants';
import { AuthorizationRule, HybridConnectionSpec, hybridConnectionNameProblem, KeyType, ruleNameProblem } from './model';

export class HybridConnection {
  readonly rules = new Map<string, AuthorizationRule>();
  readonly listeners = new Set<ListenerChannel>();
  readonly createdAt = new Date();
  updatedAt = this.createdAt;

  constructor(
    readonly name: string,
    public requiresClientAuthorization: boolean,
  ) {}

  /**
   * A listener chosen at random, as Azure balances ("fair distribution with best effort"), among
   * those the sender's Microsoft-Relay-AllowedListeners / -DisallowedListeners headers leave.
   * 'none' = no listener is connected; 'filtered' = some are, but none meets the criteria.
   */
  pickListener(criteria: ListenerCriteria = {}): ListenerChannel | 'none' | 'filtered' {
    const open = [...this.listeners].filter((listener) => listener.isOpen());
    if (open.length === 0) return 'none';
    const eligible = open.filter((listener) => meetsCriteria(listener.listenerId, criteria));
    return eligible.length === 0 ? 'filtered' : eligible[Math.floor(Math.random() * eligible.length)];
  }

  describe(): { name: string; listenerCount: number; requiresClientAuthorization: boolean } {
    return { name: this.name, listenerCount: this.listeners.size, requiresClientAuthorization: this.requiresClientAuthorization };
  }
}

/** Listener ids (their sb-hc-id) a sender allows or excludes; undefined = no restriction. */
export interface ListenerCriteria {
  allowed?: Set<string>;
  disallowed?: Set<string>;
}

/** A listener id compared as Azure's tracking ids are: case-insensitively, without a "_G…" suffix. */
function normalizeListenerId(id: string): string {
  return id.trim().replace(/_G\d+$/i, '').toLowerCase();
}

/** Reads the two routing headers (comma-separated listener ids; several headers join). */
export function listenerCriteria(headers: Record<string, string | string[] | undefined>): ListenerCriteria {
  const read = (name: string): Set<string> | undefined => {
    const value = headers[name];
    if (value === undefined) return undefined;
    const ids = (Array.isArray(value) ? value.join(',') : value).split(',').map(normalizeListenerId).filter((id) => id !== '');
    return new Set(ids);
  };
  return { allowed: read('microsoft-relay-allowedlisteners'), disallowed: read('microsoft-relay-disallowedlisteners') };
}

function meetsCriteria(listenerId: string | undefined, criteria: ListenerCriteria): boolean {
  const id = listenerId === undefined ? undefined : normalizeListenerId(listenerId);
  if (criteria.allowed && (id === undefined || !criteria.allowed.has(id))) return false;
  if (criteria.disallowed && id !== undefined && criteria.disallowed.has(id)) return false;
  return true;
}

export interface PathMatch {
  hybridConnection: HybridConnection;
  /** What follows the name ('' or '/…'). */
  suffix: string;
}

/** A new random key: 32 bytes, base64 (44 characters), the shape Azure generates. */
export function generateKey(): string {
  return randomBytes(32).toString('base64');
}

export class HybridConnectionRegistry {
  readonly namespaceRules = new Map<string, AuthorizationRule>();
  private readonly connections = new Map<string, HybridConnection>();

  constructor() {
    this.setNamespaceRule({ name: ROOT_RULE_NAME, rights: ['Manage', 'Listen', 'Send'], primaryKey: DEV_PRIMARY_KEY, secondaryKey: DEV_SECONDARY_KEY });
  }

  setNamespaceRule(rule: AuthorizationRule): void {
    const problem = ruleNameProblem(rule.name);
    if (problem) throw new Error(`The authorization rule name ${JSON.stringify(String(rule.name).slice(0, 60))} ${problem}.`);
    this.namespaceRules.set(rule.name.toLowerCase(), { ...rule, rights: [...rule.rights] });
  }

  /** Adds a hybrid connection, or updates its settings when it exists. Returns it and whether it is new. */
  add(spec: HybridConnectionSpec): { hybridConnection: HybridConnection; created: boolean } {
    const problem = hybridConnectionNameProblem(spec.name);
    if (problem) throw new Error(`The hybrid connection name ${JSON.stringify(String(spec.name).slice(0, 60))} ${problem}.`);
    const key = spec.name.toLowerCase();
    const existing = this.connections.get(key);
    const hybridConnection = existing ?? new HybridConnection(spec.name, true);
    hybridConnection.requiresClientAuthorization = spec.requiresClientAuthorization !== false;
    if (existing) hybridConnection.updatedAt = new Date();
    for (const rule of spec.authorizationRules ?? []) {
      const ruleProblem = ruleNameProblem(rule.name);
      if (ruleProblem) throw new Error(`The authorization rule name ${JSON.stringify(String(rule.name).slice(0, 60))} ${ruleProblem}.`);
      hybridConnection.rules.set(rule.name.toLowerCase(), { ...rule, rights: [...rule.rights] });
    }
    this.connections.set(key, hybridConnection);
    return { hybridConnection, created: existing === undefined };
  }

  remove(name: string): HybridConnection | undefined {
    const found = this.connections.get(name.toLowerCase());
    this.connections.delete(name.toLowerCase());
    return found;
  }

  get(name: string): HybridConnection | undefined {
    return this.connections.get(name.toLowerCase());
  }

  /** By name (the management listing). */
  list(): HybridConnection[] {
    return this.inOrder().sort((a, b) => a.name.localeCompare(b.name));
  }

  /** In the order they were added (how `hcm relay` prints them). */
  inOrder(): HybridConnection[] {
    return [...this.connections.values()];
  }

  /** The hybrid connection a path ("name/suffix", no leading "/") addresses: the longest name wins. */
  match(path: string): PathMatch | undefined {
    const lower = path.replace(/^\/+/, '').toLowerCase();
    let best: HybridConnection | undefined;
    for (const [key, hybridConnection] of this.connections) {
      const fits = lower === key || lower.startsWith(`${key}/`);
      if (fits && (!best || key.length > best.name.length)) best = hybridConnection;
    }
    if (!best) return undefined;
    return { hybridConnection: best, suffix: path.replace(/^\/+/, '').slice(best.name.length) };
  }

  /** The rule a token's key name means for an entity: the entity's own rules first, then the namespace's. */
  findRule(keyName: string, hybridConnection?: HybridConnection): AuthorizationRule | undefined {
    const key = keyName.toLowerCase();
    return hybridConnection?.rules.get(key) ?? this.namespaceRules.get(key);
  }

  /** Replaces one key of a rule with a new random key; connections already open stay open. */
  regenerateKeys(ruleName: string, keyType: KeyType, hybridConnection?: HybridConnection): AuthorizationRule | undefined {
    const rule = hybridConnection ? hybridConnection.rules.get(ruleName.toLowerCase()) : this.namespaceRules.get(ruleName.toLowerCase());
    if (!rule) return undefined;
    if (keyType === 'PrimaryKey') rule.primaryKey = generateKey();
    else rule.secondaryKey = generateKey();
    return rule;
  }
}
