/**
 * What a support bundle must never carry: every secret of the manifest (keys, SAS tokens, SQL and
 * proxy passwords, a password inside a URL), in plain, base64 and URL-encoded form, and any SAS
 * signature (`sig=…`, `SharedAccessSignature sr=…`) whatever key made it. The manifest is copied
 * with its secret fields removed; every other file (logs, status, doctor) is scrubbed line by line.
 */
import { isSecretName, redactText } from '../../common/redact';

export const REMOVED = '(removed)';
/** Shorter values would blank out ordinary text; no real key or password of ours is this short. */
const MIN_SECRET_LENGTH = 4;

/** Every secret value in a parsed manifest (or any JSON), for scrubbing. */
export function secretsIn(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, name: string): void => {
    if (typeof node === 'string') {
      if (isSecretName(name)) found.add(node);
      for (const password of urlPasswords(node)) found.add(password);
      const sig = /[?&\s]sig=([^&\s"';]+)/i.exec(node)?.[1];
      if (sig) found.add(decodeURIComponentSafe(sig));
    } else if (Array.isArray(node)) node.forEach((item) => walk(item, name));
    else if (node !== null && typeof node === 'object') for (const [key, item] of Object.entries(node)) walk(item, key);
  };
  walk(value, '');
  return [...found].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
}

/** The forms a secret may take in text: as is, base64, URL-encoded (both encoders' spellings). */
export function secretForms(secret: string): string[] {
  const forms = new Set([
    secret,
    Buffer.from(secret, 'utf8').toString('base64'),
    Buffer.from(secret, 'utf8').toString('base64url'),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
  ]);
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** A copy of the manifest with each secret field's value replaced and URL passwords removed (redactText). */
export function withoutSecrets(value: unknown, name = ''): unknown {
  if (typeof value === 'string') return isSecretName(name) ? REMOVED : redactText(value);
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, name));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutSecrets(item, key)]));
  }
  return value;
}

/** Text with every SAS signature and every form of every given secret replaced. */
export function scrubber(secrets: string[]): (text: string) => string {
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  return (text) => {
    let result = redactText(text);
    for (const form of forms) result = result.split(form).join('***');
    return result;
  };
}

const URL_WITH_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s"']*):([^@/\s"']*)@/gi;

/** The passwords of user:password@ URLs, as written and decoded (redactText removes them from URLs; these are found elsewhere too). */
function urlPasswords(text: string): string[] {
  return [...text.matchAll(URL_WITH_PASSWORD)].flatMap((match) => [match[2], decodeURIComponentSafe(match[2])]);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
