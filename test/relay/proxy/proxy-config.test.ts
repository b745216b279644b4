import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactText } from '../../../src/common/redact';
import { bypassesProxy, parseProxyUrl, ProxyConfigError, proxyForAddress } from '../../../src/relay/proxy/proxy-config';
import { offeredSchemes } from '../../../src/relay/proxy/connect-tunnel';

describe('which proxy a relay connection uses', () => {
  it('HTTP_PROXY for ws://, HTTPS_PROXY for wss://, lower-case spellings first, loopback included', () => {
    const env = { HTTP_PROXY: 'http://plain:3128', https_proxy: 'http://secure:3129', HTTPS_PROXY: 'http://ignored:1' };
    assert.equal(proxyForAddress('ws://127.0.0.1:9351/$hc/x', undefined, env)?.display, 'http://plain:3128');
    assert.equal(proxyForAddress('wss://contoso.servicebus.windows.net/$hc/x', undefined, env)?.display, 'http://secure:3129');
    assert.equal(proxyForAddress('wss://localhost/$hc/x', undefined, env)?.source, 'https_proxy');
    assert.equal(proxyForAddress('wss://contoso.servicebus.windows.net/', undefined, { HTTP_PROXY: 'http://plain:3128' }), undefined);
  });

  it('the manifest setting wins over the environment, and NO_PROXY still applies', () => {
    const env = { HTTPS_PROXY: 'http://env:1', NO_PROXY: '.internal.contoso.com' };
    assert.equal(proxyForAddress('wss://relay.servicebus.windows.net/', { url: 'http://manifest:8080' }, env)?.source, 'the manifest');
    assert.equal(proxyForAddress('wss://relay.internal.contoso.com/', { url: 'http://manifest:8080' }, env), undefined);
  });

  it('NO_PROXY: names, .suffixes, *.suffixes, host:port, bracketed IPv6, *', () => {
    assert.ok(bypassesProxy('relay.contoso.com', 443, 'a.example, .contoso.com'));
    assert.ok(bypassesProxy('contoso.com', 443, '*.contoso.com'));
    assert.ok(!bypassesProxy('notcontoso.com', 443, '.contoso.com'));
    assert.ok(bypassesProxy('127.0.0.1', 9351, '127.0.0.1:9351'));
    assert.ok(!bypassesProxy('127.0.0.1', 9352, '127.0.0.1:9351'));
    assert.ok(bypassesProxy('::1', 80, '[::1]'));
    assert.ok(bypassesProxy('::1', 80, '[::1]:80'));
    assert.ok(bypassesProxy('anything', 1, '*'));
    assert.ok(!bypassesProxy('127.0.0.1', 9351, ''));
  });

  it('passwords: user:pass@ in the URL, else the stored one, else HCM_PROXY_PASSWORD (only with a user name)', () => {
    const env = { HCM_PROXY_PASSWORD: 'from-env' };
    assert.equal(proxyForAddress('ws://h/', { url: 'http://p:1', username: 'u' }, env)?.password, 'from-env');
    assert.equal(proxyForAddress('ws://h/', { url: 'http://p:1', username: 'u', password: 'stored' }, env)?.password, 'stored');
    assert.equal(proxyForAddress('ws://h/', undefined, { ...env, HTTP_PROXY: 'http://u:in%40url@p:1' })?.password, 'in@url');
    assert.equal(proxyForAddress('ws://h/', { url: 'http://p:1' }, env)?.password, undefined);
    const resolved = proxyForAddress('ws://h/', undefined, { HTTP_PROXY: 'u:secret@p:3128' })!;
    assert.equal(resolved.display, 'http://p:3128', 'the printable form has no credentials');
  });

  it('refuses an https:// proxy, a path, and garbage — never echoing the password', () => {
    for (const bad of ['https://u:s3cret@p:1', 'http://u:s3cret@p:1/path', 'http://u:s3cret@:1']) {
      assert.throws(() => parseProxyUrl(bad), (error: Error) => error instanceof ProxyConfigError && !error.message.includes('s3cret'));
    }
  });

  it('reads the schemes a 407 offers', () => {
    assert.deepEqual(offeredSchemes(['Proxy-Authenticate: NTLM', 'proxy-authenticate: Negotiate abc', 'Via: x']), ['NTLM', 'Negotiate']);
    assert.deepEqual(offeredSchemes(['Proxy-Authenticate: Basic realm="x"']), ['Basic']);
  });

  it('redacts user:password@ in URLs and Basic credentials in headers', () => {
    assert.equal(redactText('HTTP_PROXY=http://hcm:pa55@proxy:3128 failed'), 'HTTP_PROXY=http://hcm:***@proxy:3128 failed');
    assert.equal(redactText('Proxy-Authorization: Basic aGNtOnBhNTU='), 'Proxy-Authorization: Basic ***');
    assert.equal(redactText('http://proxy:3128 and sb://ns/'), 'http://proxy:3128 and sb://ns/');
  });
});
