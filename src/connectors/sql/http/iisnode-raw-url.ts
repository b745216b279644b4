/**
 * Routing on the raw request URL under iisnode. iisnode's request target is URL Rewrite's
 * X-Original-URL, already percent-decoded, and Express decodes route parameters again: `%2F`, `%23`,
 * `%25` and `%3F` in a key segment would split, truncate or fail, and `%252F` would become `/`. The
 * site's web.config promotes UNENCODED_URL (the URL as the client sent it), which iisnode appends as
 * `X-iisnode-UNENCODED_URL` after the client's own headers, so the last occurrence is iisnode's
 * (a caller cannot smuggle one in front of it).
 */
import { NextFunction, Request, Response } from 'express';

const HEADER = 'x-iisnode-unencoded_url';

/** The value of the last `name` header (case-insensitive) in Node's raw header list. */
export function lastRawHeader(rawHeaders: readonly string[], name: string): string | undefined {
  for (let i = rawHeaders.length - 2; i >= 0; i -= 2) {
    if (rawHeaders[i]!.toLowerCase() === name) return rawHeaders[i + 1];
  }
  return undefined;
}

/** True when the process runs under iisnode (which sets IISNODE_VERSION for node.exe). */
export function underIisnode(env: NodeJS.ProcessEnv): boolean {
  return typeof env.IISNODE_VERSION === 'string' && env.IISNODE_VERSION !== '';
}

/** Middleware: the request URL becomes iisnode's raw one, so routing is the standalone host's. */
export function iisnodeRawUrl() {
  return (req: Request, _res: Response, next: NextFunction) => {
    const raw = lastRawHeader(req.rawHeaders, HEADER);
    if (raw !== undefined && raw.startsWith('/')) {
      req.url = raw;
      req.originalUrl = raw;
    }
    next();
  };
}
