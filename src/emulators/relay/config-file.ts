/**
 * The emulator's configuration file (JSON): extra shared access rules at namespace or hybrid
 * connection level, and hybrid connections with their settings. Validated at the edge; messages
 * name the bad entry and never echo a key.
 *
 *   { "authorizationRules": [{ "name": "listen-only", "rights": ["Listen"], "primaryKey": "…", "secondaryKey": "…" }],
 *     "hybridConnections": [{ "name": "sql-orders", "requiresClientAuthorization": true,
 *                             "authorizationRules": [{ "name": "send", "rights": ["Send"], "primaryKey": "…" }] }] }
 */
import fs from 'node:fs';
import { generateKey } from './registry';
import { AuthorizationRule, HybridConnectionSpec, hybridConnectionNameProblem, Right, RIGHTS, ruleNameProblem } from './model';

export interface RelayConfigFile {
  authorizationRules: AuthorizationRule[];
  hybridConnections: HybridConnectionSpec[];
}

export class RelayConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayConfigError';
  }
}

const MAX_KEY_LENGTH = 256;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refuseUnknown(value: Record<string, unknown>, allowed: string[], where: string): void {
  const unknown = Object.keys(value).find((name) => !allowed.includes(name));
  if (unknown !== undefined) {
    throw new RelayConfigError(`${where} has an unknown property ${JSON.stringify(unknown.slice(0, 40))}; allowed: ${allowed.join(', ')}.`);
  }
}

function parseKey(value: unknown, where: string, optional: boolean): string {
  if (value === undefined && optional) return generateKey();
  if (typeof value !== 'string' || value === '' || value.length > MAX_KEY_LENGTH || /\s/.test(value)) {
    throw new RelayConfigError(`${where} must be a non-empty string of at most ${MAX_KEY_LENGTH} characters without spaces.`);
  }
  return value;
}

function parseRule(value: unknown, where: string): AuthorizationRule {
  if (!isObject(value)) throw new RelayConfigError(`${where} must be an object.`);
  refuseUnknown(value, ['name', 'rights', 'primaryKey', 'secondaryKey'], where);
  const nameProblem = ruleNameProblem(value.name);
  if (nameProblem) throw new RelayConfigError(`${where}.name ${nameProblem}.`);
  const rights = value.rights;
  if (!Array.isArray(rights) || rights.length === 0 || !rights.every((right) => RIGHTS.includes(right as Right))) {
    throw new RelayConfigError(`${where}.rights must be a non-empty list of "Listen", "Send" and "Manage".`);
  }
  return {
    name: value.name as string,
    rights: [...new Set(rights as Right[])],
    primaryKey: parseKey(value.primaryKey, `${where}.primaryKey`, false),
    secondaryKey: parseKey(value.secondaryKey, `${where}.secondaryKey`, true),
  };
}

function parseRules(value: unknown, where: string): AuthorizationRule[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new RelayConfigError(`${where} must be a list.`);
  const rules = value.map((item, index) => parseRule(item, `${where}[${index}]`));
  const names = rules.map((rule) => rule.name.toLowerCase());
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new RelayConfigError(`${where} names the rule "${duplicate}" twice.`);
  return rules;
}

function parseHybridConnection(value: unknown, where: string): HybridConnectionSpec {
  if (!isObject(value)) throw new RelayConfigError(`${where} must be an object.`);
  refuseUnknown(value, ['name', 'requiresClientAuthorization', 'authorizationRules'], where);
  const nameProblem = hybridConnectionNameProblem(value.name);
  if (nameProblem) throw new RelayConfigError(`${where}.name ${nameProblem}.`);
  if (value.requiresClientAuthorization !== undefined && typeof value.requiresClientAuthorization !== 'boolean') {
    throw new RelayConfigError(`${where}.requiresClientAuthorization must be true or false.`);
  }
  return {
    name: value.name as string,
    requiresClientAuthorization: value.requiresClientAuthorization !== false,
    authorizationRules: parseRules(value.authorizationRules, `${where}.authorizationRules`),
  };
}

/** Validates a parsed configuration object. */
export function parseRelayConfig(value: unknown, source = 'The relay configuration'): RelayConfigFile {
  if (!isObject(value)) throw new RelayConfigError(`${source} must be a JSON object.`);
  refuseUnknown(value, ['authorizationRules', 'hybridConnections'], source);
  const authorizationRules = parseRules(value.authorizationRules, `${source}: authorizationRules`);
  if (value.hybridConnections !== undefined && !Array.isArray(value.hybridConnections)) {
    throw new RelayConfigError(`${source}: hybridConnections must be a list.`);
  }
  const hybridConnections = ((value.hybridConnections as unknown[] | undefined) ?? []).map((item, index) =>
    parseHybridConnection(item, `${source}: hybridConnections[${index}]`),
  );
  const names = hybridConnections.map((hc) => hc.name.toLowerCase());
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new RelayConfigError(`${source} names the hybrid connection "${duplicate}" twice.`);
  return { authorizationRules, hybridConnections };
}

/** Reads and validates a configuration file. */
export function loadRelayConfigFile(file: string): RelayConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new RelayConfigError(`Cannot read the relay configuration file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // V8's message quotes part of the text, which may be a key: keep only the position.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new RelayConfigError(`The relay configuration file ${file} is not valid JSON${position ? ` (at character ${position})` : ''}.`);
  }
  return parseRelayConfig(parsed, `The relay configuration file ${file}`);
}
