import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { audienceCovers, createSasToken, parseSasToken, verifySasToken } from '../../src/relay/sas';
import { listenUri, tokenAudience } from '../../src/relay/uris';

// hyco-https has no type declarations; its token function is what real listeners use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hyco = require('hyco-https') as { createRelayToken(uri: string, keyName: string, key: string, seconds?: number): string };

const KEY = 'Xk3/9QmZ+t8vYpR2aLw5bN7cD0eF1gH4iJ6kM8nO0pQ=';
const keysFor = (name: string) => (name === 'listen' ? [KEY] : undefined);
const target = { namespace: 'contoso.servicebus.windows.net', entityPath: 'sql-orders', emulator: false };

describe('SAS tokens', () => {
  it('verifies a token made by hyco-https createRelayToken for the listen URI', () => {
    const token = hyco.createRelayToken(listenUri(target), 'listen', KEY);
    const verdict = verifySasToken(token, keysFor);
    assert.equal(verdict.valid, true);
    assert.ok(verdict.valid && audienceCovers(verdict.token.resource, 'sql-orders', 'contoso.servicebus.windows.net'));
  });

  it('makes tokens that match hyco-https byte for byte for the same resource and expiry', () => {
    const uri = 'http://contoso.servicebus.windows.net/sql-orders';
    const theirs = hyco.createRelayToken(uri, 'listen', KEY, 3600);
    const expiry = Number(/se=(\d+)/.exec(theirs)![1]);
    const ours = createSasToken(uri, 'listen', KEY, { now: () => (expiry - 3600) * 1000 });
    assert.equal(ours, theirs);
  });

  it('makes tokens that verify with the key as UTF-8 bytes of the string (not base64-decoded)', () => {
    const token = createSasToken(tokenAudience(target), 'listen', KEY);
    const verdict = verifySasToken(token, keysFor);
    assert.equal(verdict.valid, true);
    const decodedKeyVerdict = verifySasToken(token, () => [Buffer.from(KEY, 'base64').toString('latin1')]);
    assert.equal(decodedKeyVerdict.valid, false);
  });

  it('refuses an expired token, from either side', () => {
    const ours = createSasToken(tokenAudience(target), 'listen', KEY, { lifetimeSeconds: 10, now: () => Date.now() - 60_000 });
    const theirs = hyco.createRelayToken(tokenAudience(target), 'listen', KEY, 10);
    assert.deepEqual(pick(verifySasToken(ours, keysFor)), { valid: false, reason: 'expired' });
    assert.deepEqual(pick(verifySasToken(theirs, keysFor, Date.now() + 20_000)), { valid: false, reason: 'expired' });
  });

  it('refuses tampered tokens: another resource, expiry, signature or key', () => {
    const token = hyco.createRelayToken(tokenAudience(target), 'listen', KEY);
    const otherResource = token.replace('sql-orders', 'sql-invoices');
    const laterExpiry = token.replace(/se=(\d+)/, (_m, se) => `se=${Number(se) + 1000}`);
    const otherSig = token.replace(/sig=[^&]+/, `sig=${encodeURIComponent(Buffer.alloc(32, 7).toString('base64'))}`);
    for (const tampered of [otherResource, laterExpiry, otherSig]) {
      assert.deepEqual(pick(verifySasToken(tampered, keysFor)), { valid: false, reason: 'badSignature' });
    }
    assert.deepEqual(pick(verifySasToken(token, () => ['another key'])), { valid: false, reason: 'badSignature' });
    assert.deepEqual(pick(verifySasToken(token, () => undefined)), { valid: false, reason: 'unknownKeyName' });
  });

  it('signs sr exactly as sent, so lowercase percent-encoding (.NET HttpUtility) verifies too', () => {
    const sr = 'http%3a%2f%2fcontoso.servicebus.windows.net%2fsql-orders';
    const se = Math.floor(Date.now() / 1000) + 600;
    const sig = createHmac('sha256', KEY).update(`${sr}\n${se}`).digest('base64');
    const token = `SharedAccessSignature sig=${encodeURIComponent(sig)}&se=${se}&skn=listen&sr=${sr}`;
    const verdict = verifySasToken(token, keysFor);
    assert.equal(verdict.valid, true);
    assert.ok(verdict.valid && verdict.token.resource === 'http://contoso.servicebus.windows.net/sql-orders');
  });

  it('reports malformed tokens without throwing', () => {
    for (const junk of ['', 'Bearer abc', 'SharedAccessSignature ', 'SharedAccessSignature sr=a&se=x&sig=b&skn=c', 'SharedAccessSignature sr=%E0%A4%A&sig=a&se=1&skn=k', 'SharedAccessSignature sr=a&sr=b&sig=c&se=1&skn=d']) {
      assert.equal(pick(verifySasToken(junk, keysFor)).reason, 'malformed', junk);
    }
    assert.throws(() => parseSasToken('nonsense'), /does not start with/);
  });
});

describe('audienceCovers', () => {
  const cases: Array<[string, string, string | undefined, boolean]> = [
    ['http://contoso.servicebus.windows.net:443/sql-orders', 'sql-orders', 'contoso.servicebus.windows.net', true],
    ['sb://CONTOSO.servicebus.windows.net/sql-orders/', 'sql-orders', 'contoso.servicebus.windows.net', true],
    ['https://contoso.servicebus.windows.net/$hc/sql-orders', 'sql-orders', 'contoso.servicebus.windows.net', true],
    ['http://contoso.servicebus.windows.net/', 'sql-orders', 'contoso.servicebus.windows.net', true],
    ['http://contoso.servicebus.windows.net/team', 'team/sql-orders', 'contoso.servicebus.windows.net', true],
    ['http://contoso.servicebus.windows.net/team', 'teamwork', 'contoso.servicebus.windows.net', false],
    ['http://contoso.servicebus.windows.net/sql-invoices', 'sql-orders', 'contoso.servicebus.windows.net', false],
    ['http://fabrikam.servicebus.windows.net/sql-orders', 'sql-orders', 'contoso.servicebus.windows.net', false],
    ['http://localhost:9351/sql-orders', 'sql-orders', undefined, true],
    ['not a url at all %%%', 'sql-orders', undefined, false],
  ];
  for (const [resource, entity, host, expected] of cases) {
    it(`${expected ? 'covers' : 'does not cover'} ${entity} with ${resource}`, () => {
      assert.equal(audienceCovers(resource, entity, host), expected);
    });
  }
});

function pick(verdict: ReturnType<typeof verifySasToken>): { valid: boolean; reason?: string } {
  return verdict.valid ? { valid: true } : { valid: false, reason: verdict.reason };
}
