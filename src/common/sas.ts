/**
 * Shared Access Signature tokens exactly as Azure Relay and hyco-https make them:
 *   SharedAccessSignature sr=<urlenc(resource)>&sig=<urlenc(base64(HMAC-SHA256(key, sr + "\n" + se)))>&se=<unix s>&skn=<rule>
 * The HMAC key is the UTF-8 bytes of the key string (not base64-decoded), and the verifier signs
 * `sr` exactly as it appears in the token (never re-encoded), since clients encode differently.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

export interface CreateTokenOptions {
  /** Seconds from `now` until the token expires (default 3600, as hyco-https). */
  lifetimeSeconds?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export function signSas(key: string, encodedResource: string, expiry: number): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(`${encodedResource}\n${expiry}`).digest('base64');
}

export function createSasToken(resourceUri: string, keyName: string, key: string, options: CreateTokenOptions = {}): string {
  const now = options.now?.() ?? Date.now();
  const expiry = Math.floor(now / 1000) + (options.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS);
  const sr = encodeURIComponent(resourceUri);
  const sig = encodeURIComponent(signSas(key, sr, expiry));
  return `SharedAccessSignature sr=${sr}&sig=${sig}&se=${expiry}&skn=${encodeURIComponent(keyName)}`;
}

export interface ParsedSasToken {
  /** `sr` exactly as it appears in the token (still percent-encoded): what was signed. */
  encodedResource: string;
  /** `sr` decoded: the audience. */
  resource: string;
  signature: string;
  expiry: number;
  keyName: string;
}

export class SasTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SasTokenError';
  }
}

/** Parses a token; fields may come in any order, the prefix is case-insensitive. Throws SasTokenError. */
export function parseSasToken(token: string): ParsedSasToken {
  const match = /^SharedAccessSignature (.+)$/is.exec(token.trim());
  if (!match) throw new SasTokenError('The token does not start with "SharedAccessSignature ".');
  const fields = new Map<string, string>();
  for (const piece of match[1].split('&')) {
    const equals = piece.indexOf('=');
    if (equals <= 0) throw new SasTokenError('The token has a field without a name or "=".');
    const name = piece.slice(0, equals).trim().toLowerCase();
    if (fields.has(name)) throw new SasTokenError(`The token repeats the field ${name.length <= 8 ? name : ''}.`);
    fields.set(name, piece.slice(equals + 1));
  }
  const need = (name: string) => {
    const value = fields.get(name);
    if (value === undefined || value === '') throw new SasTokenError(`The token has no ${name} field.`);
    return value;
  };
  const encodedResource = need('sr');
  const expiryText = need('se');
  if (!/^\d{1,12}$/.test(expiryText)) throw new SasTokenError('The token\'s se field is not a number of seconds.');
  try {
    return {
      encodedResource,
      resource: decodeURIComponent(encodedResource),
      signature: decodeURIComponent(need('sig')),
      expiry: Number(expiryText),
      keyName: decodeURIComponent(need('skn')),
    };
  } catch (error) {
    if (error instanceof SasTokenError) throw error;
    throw new SasTokenError('The token has a badly percent-encoded field.');
  }
}

export type SasVerdict =
  | { valid: true; token: ParsedSasToken }
  | { valid: false; reason: 'malformed' | 'expired' | 'unknownKeyName' | 'badSignature'; message: string };

/**
 * Verifies a token's signature and expiry against the keys a rule name maps to (a rule has a
 * primary and a secondary key; either signs). Audience and rights are the caller's business.
 */
export function verifySasToken(token: string, keysFor: (keyName: string) => string[] | undefined, now = Date.now()): SasVerdict {
  let parsed: ParsedSasToken;
  try {
    parsed = parseSasToken(token);
  } catch (error) {
    return { valid: false, reason: 'malformed', message: (error as Error).message };
  }
  const keys = keysFor(parsed.keyName);
  if (!keys || keys.length === 0) return { valid: false, reason: 'unknownKeyName', message: 'The token names an unknown rule.' };
  const given = Buffer.from(parsed.signature, 'base64');
  const matches = keys.some((key) => {
    const expected = Buffer.from(signSas(key, parsed.encodedResource, parsed.expiry), 'base64');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!matches) return { valid: false, reason: 'badSignature', message: 'The token has an invalid signature.' };
  if (parsed.expiry * 1000 <= now) return { valid: false, reason: 'expired', message: 'The token is expired.' };
  return { valid: true, token: parsed };
}

/**
 * Whether a token's audience covers an entity, as Azure compares it: scheme and port ignored, host
 * compared case-insensitively (any host when `anyHost`, for the emulator), one trailing "/" and an
 * optional "$hc/" ignored; a token for a parent path covers its children; an empty path is the
 * whole namespace.
 */
export function audienceCovers(resource: string, entityPath: string, host: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(resource) ? resource : `sb://${resource}`);
  } catch {
    return false;
  }
  if (host !== undefined && url.hostname.toLowerCase() !== host.toLowerCase()) return false;
  let audiencePath: string;
  try {
    audiencePath = decodeURIComponent(url.pathname);
  } catch {
    return false;
  }
  audiencePath = audiencePath.replace(/^\/+/, '').replace(/^\$hc\//i, '').replace(/\/$/, '').toLowerCase();
  const entity = entityPath.replace(/^\/+|\/+$/g, '').toLowerCase();
  return audiencePath === '' || entity === audiencePath || entity.startsWith(`${audiencePath}/`);
}
