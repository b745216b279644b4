/** Links from forwarding headers: absolute behind the listener, relative otherwise, forged values ignored. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from 'express';
import { baseLocation, linkTo } from '../../../../src/connectors/sql/http/links';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as Request;

describe('links', () => {
  it('are absolute from X-Forwarded-Proto/Host/Prefix', () => {
    const req = request({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'contoso.servicebus.windows.net', 'x-forwarded-prefix': '/sql-orders' });
    assert.equal(linkTo(req, '/tables'), 'https://contoso.servicebus.windows.net/sql-orders/tables');
  });

  it('are relative without forwarding headers, keeping a forwarded prefix', () => {
    assert.equal(linkTo(request({}), '/tables'), '/tables');
    assert.equal(linkTo(request({ 'x-forwarded-prefix': '/sql-orders/' }), '/tables'), '/sql-orders/tables');
  });

  it('take the first of several values and ignore forged ones', () => {
    assert.equal(baseLocation(request({ 'x-forwarded-host': 'a.example, b.example', 'x-forwarded-proto': 'http,https' })).base, 'http://a.example');
    assert.equal(baseLocation(request({ 'x-forwarded-host': 'evil"><script>', 'x-forwarded-prefix': '/ok' })).base, '/ok');
    assert.equal(baseLocation(request({ 'x-forwarded-host': 'h.example', 'x-forwarded-proto': 'javascript' })).base, 'https://h.example');
    assert.equal(baseLocation(request({ 'x-forwarded-prefix': '//evil.example' })).base, '');
  });
});
