/**
 * The one redaction helper: everything logged passes through it, so keys, passwords and SAS
 * signatures never reach a log file or the console.
 */

export const REDACTED = '***';

/** Property names whose values are secrets wherever they appear. */
const SECRET_NAME = /(^|[_-])(key|sharedaccesskey|password|pwd|secret|token|sharedaccesssignature|signature|sig|authorization|serviceBusAuthorization|connectionstring|configurationstring|primarykey|secondarykey)$/i;

/** Secrets embedded in strings: connection strings, SAS tokens, URLs with tokens, auth headers. */
const SECRET_IN_TEXT: Array<[RegExp, string]> = [
  [/(SharedAccessKey\s*=\s*)[^;"'\s]*/gi, `$1${REDACTED}`],
  [/(SharedAccessSignature\s*=\s*)[^;"']*/gi, `$1${REDACTED}`],
  [/(SharedSecretValue\s*=\s*)[^;"'\s]*/gi, `$1${REDACTED}`],
  [/((?:^|[;\s"'])(?:Password|Pwd)\s*=\s*)[^;"']*/gi, `$1${REDACTED}`],
  [/([?&;\s]sig=)[^&\s"';]*/gi, `$1${REDACTED}`],
  [/(sb-hc-token=)[^&\s"']*/gi, `$1${REDACTED}`],
  [/(SharedAccessSignature\s+sr=)[^\s"']*/gi, `$1${REDACTED}`],
  // user:password@ in a URL (a proxy URL in HTTP_PROXY or given to setup).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/"']*:)[^\s@/"']*@/gi, `$1${REDACTED}@`],
  [/((?:Proxy-)?Authorization:\s*Basic\s+)[A-Za-z0-9+/=]+/gi, `$1${REDACTED}`],
];

export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_IN_TEXT) result = result.replace(pattern, replacement);
  return result;
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Returns a deep copy of `value` with secrets replaced; never mutates its input. */
export function redact<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), stack: value.stack && redactText(value.stack) };
  }
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  const copy: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    copy[name] = isSecretName(name) && item !== null && item !== undefined && item !== '' ? REDACTED : redactValue(item, seen);
  }
  return copy;
}
