/**
 * Logging: structured JSON lines (pino) with two channels — an access log line per relayed call
 * and a leveled debug log. Every record passes through `redact` before it is written.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { redact, redactText } from './redact';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** Site or component name, written on every line. */
  name: string;
  /** When set, lines also go to <logDir>/<name>.log. */
  logDir?: string;
  /** Defaults to HCM_LOG_LEVEL, then 'info'. */
  level?: string;
  /** Also write to stdout (default true). */
  stdout?: boolean;
  /**
   * Write to stderr instead of stdout: for commands whose stdout is their output (hcm relay and
   * hcm sqlserver print configuration strings there, for scripts to read).
   */
  toStderr?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? process.env.HCM_LOG_LEVEL ?? 'info';
  const streams: pino.StreamEntry[] = [];
  if (options.stdout !== false) streams.push({ level: level as pino.Level, stream: options.toStderr ? process.stderr : process.stdout });
  if (options.logDir) {
    fs.mkdirSync(options.logDir, { recursive: true, mode: 0o700 });
    const file = pino.destination({ dest: path.join(options.logDir, `${options.name}.log`), sync: true, mkdir: true });
    streams.push({ level: level as pino.Level, stream: file });
  }
  return pino(
    {
      name: options.name,
      level,
      formatters: { log: (record) => redact(record) },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
          method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    streams.length > 0 ? pino.multistream(streams) : undefined,
  );
}

/** A logger that writes nothing: the default for library code and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export interface AccessRecord {
  method: string;
  target: string;
  status: number;
  ms: number;
  correlationId?: string;
  [extra: string]: unknown;
}

/** The access channel: one line per relayed or served call. */
export function logAccess(logger: Logger, record: AccessRecord): void {
  logger.info({ channel: 'access', ...record }, `${record.method} ${record.target} ${record.status} ${record.ms}ms`);
}
