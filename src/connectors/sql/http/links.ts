/**
 * Links the connector hands out (nextLink, OpenAPI servers, Swagger host) follow DESIGN "Forwarding
 * headers": absolute, from X-Forwarded-Proto/Host/Prefix, when the listener relayed the call;
 * relative (from the site root, keeping a forwarded prefix) otherwise. Header values are checked,
 * so a forged header cannot put markup or another scheme into a link.
 */
import type { Request } from 'express';

export interface BaseLocation {
  /** "https://contoso.servicebus.windows.net/sql-orders", or "" / "/prefix" when relative. */
  base: string;
  proto?: string;
  host?: string;
  prefix: string;
}

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
const PREFIX = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+$/;

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(',')[0]?.trim();
  return first ? first : undefined;
}

export function baseLocation(req: Request): BaseLocation {
  const protoHeader = firstValue(req.headers['x-forwarded-proto'])?.toLowerCase();
  const hostHeader = firstValue(req.headers['x-forwarded-host']);
  const prefixHeader = firstValue(req.headers['x-forwarded-prefix'])?.replace(/\/+$/, '');
  const prefix = prefixHeader && PREFIX.test(prefixHeader) ? prefixHeader : '';
  const host = hostHeader && HOST.test(hostHeader) ? hostHeader : undefined;
  const proto = protoHeader === 'http' || protoHeader === 'https' ? protoHeader : undefined;
  if (host) {
    const scheme = proto ?? 'https';
    return { base: `${scheme}://${host}${prefix}`, proto: scheme, host, prefix };
  }
  return { base: prefix, prefix };
}

/** A link to `path` (starting with "/") on this site, as the caller should use it. */
export function linkTo(req: Request, path: string): string {
  return `${baseLocation(req).base}${path}`;
}
