import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HcmError } from '../../src/common/errors';
import {
  formatConfigurationString,
  parseConfigurationString,
  sameHybridConnection,
} from '../../src/config/connection-string';

const KEY = 'q2Z3xYk8pL0mN4vB7cR1tW9sD6fG5hJ2kL8pO3iU0yE=';
const PORTAL = `Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=${KEY};EntityPath=sql-orders`;

function refusal(input: unknown): HcmError {
  try {
    parseConfigurationString(input);
  } catch (error) {
    assert.ok(error instanceof HcmError, `expected an HcmError, got ${String(error)}`);
    assert.equal(error.code, 'InvalidConfigurationString');
    return error;
  }
  assert.fail('the string was accepted');
}

describe('parseConfigurationString', () => {
  it('parses the string exactly as the Azure portal gives it', () => {
    assert.deepEqual(parseConfigurationString(PORTAL), {
      namespace: 'contoso.servicebus.windows.net',
      port: undefined,
      entityPath: 'sql-orders',
      keyName: 'listen',
      key: KEY,
      emulator: false,
    });
  });

  it('accepts keys in any order and any case, with empty parts and spaces around them', () => {
    const parsed = parseConfigurationString(
      ` entitypath=sql-orders ;; sharedaccesskey=${KEY}; ENDPOINT=sb://Contoso.servicebus.windows.net;SharedAccessKeyName=listen; `,
    );
    assert.equal(parsed.namespace, 'contoso.servicebus.windows.net');
    assert.equal(parsed.entityPath, 'sql-orders');
    assert.equal(parsed.key, KEY);
  });

  it('splits each part on the first "=" so base64 padding stays in the key', () => {
    assert.equal(parseConfigurationString(PORTAL).key?.endsWith('='), true);
    const twoPads = `${KEY.slice(0, -2)}==`;
    assert.equal(parseConfigurationString(PORTAL.replace(KEY, twoPads)).key, twoPads);
  });

  it('accepts a SharedAccessSignature instead of a key name and key', () => {
    const token = 'SharedAccessSignature sr=http%3A%2F%2Fcontoso.servicebus.windows.net%2Fsql-orders&sig=abc%3D&se=1893456000&skn=listen';
    const parsed = parseConfigurationString(`Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessSignature=${token};EntityPath=sql-orders`);
    assert.equal(parsed.sharedAccessSignature, token);
    assert.equal(parsed.key, undefined);
  });

  it('accepts entity paths with "/" and an OperationTimeout', () => {
    const parsed = parseConfigurationString(`${PORTAL.replace('sql-orders', 'team/sql-orders')};OperationTimeout=00:01:00`);
    assert.equal(parsed.entityPath, 'team/sql-orders');
  });

  it('reads UseDevelopmentEmulator=true with the port from the endpoint, or 9351', () => {
    const withPort = parseConfigurationString(
      `Endpoint=sb://127.0.0.1:40123/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${KEY};EntityPath=hc;UseDevelopmentEmulator=true`,
    );
    assert.equal(withPort.emulator, true);
    assert.equal(withPort.port, 40123);
    const noPort = parseConfigurationString(`${PORTAL.replace('contoso.servicebus.windows.net', 'localhost')};UseDevelopmentEmulator=TRUE`);
    assert.equal(noPort.port, 9351);
  });

  it('round-trips through formatConfigurationString', () => {
    for (const text of [PORTAL, `${PORTAL.replace('contoso.servicebus.windows.net', '127.0.0.1:9400')};UseDevelopmentEmulator=true`]) {
      const parsed = parseConfigurationString(text);
      assert.deepEqual(parseConfigurationString(formatConfigurationString(parsed)), parsed);
    }
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['empty', '', /empty/],
    ['blank', '   ', /empty/],
    ['missing endpoint', `SharedAccessKeyName=listen;SharedAccessKey=${KEY};EntityPath=x`, /Endpoint is missing/],
    ['non-sb scheme', PORTAL.replace('sb://', 'https://'), /sb:\/\/ scheme/],
    ['endpoint that is no URI', PORTAL.replace('sb://contoso.servicebus.windows.net/', 'contoso'), /absolute URI/],
    ['endpoint without a host', PORTAL.replace('sb://contoso.servicebus.windows.net/', 'sb:///'), /no valid host/],
    ['endpoint host "-"', PORTAL.replace('sb://contoso.servicebus.windows.net/', 'sb://-/'), /no valid host/],
    ['endpoint host "..."', PORTAL.replace('sb://contoso.servicebus.windows.net/', 'sb://.../'), /no valid host/],
    ['endpoint host with an empty label', PORTAL.replace('contoso.servicebus', 'contoso..servicebus'), /no valid host/],
    ['endpoint host label starting with "-"', PORTAL.replace('contoso.', '-contoso.'), /no valid host/],
    ['endpoint host "[zz]"', PORTAL.replace('contoso.servicebus.windows.net', '[zz]'), /no valid host/],
    ['missing key', 'Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;EntityPath=x', /SharedAccessKey is missing/],
    ['key without name', `Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKey=${KEY};EntityPath=x`, /SharedAccessKeyName is missing/],
    ['no credentials', 'Endpoint=sb://contoso.servicebus.windows.net/;EntityPath=x', /SharedAccessKeyName and SharedAccessKey are missing/],
    ['unknown key', `${PORTAL};Flavour=vanilla`, /Unknown key 'Flavour'/],
    ['ACS string', `Endpoint=sb://contoso.servicebus.windows.net/;SharedSecretIssuer=owner;SharedSecretValue=${KEY}`, /retired on 2018-11-07/],
    ['missing entity path', PORTAL.replace(';EntityPath=sql-orders', ''), /EntityPath is missing/],
    ['duplicate key', `${PORTAL};EntityPath=other`, /EntityPath appears more than once/],
    ['junk', 'hello world', /not of the form Name=Value/],
    ['signature and key together', `${PORTAL};SharedAccessSignature=SharedAccessSignature sr=a&sig=b&se=1&skn=c`, /cannot be combined/],
    ['bad emulator flag', `${PORTAL};UseDevelopmentEmulator=yes`, /true or false/],
    ['1 MB of text', `${PORTAL};${'x'.repeat(1024 * 1024)}`, /at most 4096/],
    ['a line break inside', PORTAL.replace(';Entity', ';\nEntity'), /control characters/],
  ];
  for (const [name, input, message] of malformed) {
    it(`refuses ${name} with its own message that does not echo the key`, () => {
      const error = refusal(input);
      assert.match(error.message, message);
      assert.ok(!error.message.includes(KEY), 'the message echoes the key');
      assert.ok(!JSON.stringify(error.toJSON()).includes(KEY), 'the JSON body echoes the key');
    });
  }

  it('accepts IPv4, bracketed IPv6, single-label and trailing-dot hosts', () => {
    for (const host of ['127.0.0.1:9351', '[::1]:9351', 'localhost', 'contoso.servicebus.windows.net.', 'a-b.c1']) {
      assert.ok(parseConfigurationString(PORTAL.replace('contoso.servicebus.windows.net', host)), host);
    }
  });

  it('never shows text after SharedAccessKey= up to the next known key, even when it holds ";"', () => {
    const text = 'Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=Zm9vYmFy;QmFyYmFzcXVxdWFr=;EntityPath=sql-orders';
    const error = refusal(text);
    const shown = `${error.message} ${JSON.stringify(error.toJSON())}`;
    for (const fragment of ['Zm9vYmFy', 'QmFyYmFzcXVxdWFr']) assert.ok(!shown.includes(fragment), `${fragment} shown in: ${shown}`);
    assert.match(error.message, /SharedAccessKey contains ';'/);
    const signature = refusal(`Endpoint=sb://c.servicebus.windows.net/;SharedAccessSignature=SharedAccessSignature sr=a&sig=U2VjcmV0;Tm90U2hvd24=;EntityPath=x`);
    assert.ok(!JSON.stringify(signature.toJSON()).includes('Tm90U2hvd24'));
  });

  it('refuses a non-string input', () => {
    assert.match(refusal(undefined).message, /empty/);
    assert.match(refusal(42).message, /empty/);
  });

  it('names the same hybrid connection regardless of key and case', () => {
    const primary = parseConfigurationString(PORTAL);
    const secondary = parseConfigurationString(PORTAL.replace(KEY, 'another-key').replace('sql-orders', 'SQL-Orders'));
    assert.ok(sameHybridConnection(primary, secondary));
    assert.ok(!sameHybridConnection(primary, { ...secondary, entityPath: 'other' }));
  });
});

describe('parseConfigurationString under random input', () => {
  const base64Key = fc
    .uint8Array({ minLength: 32, maxLength: 32 })
    .map((bytes) => Buffer.from(bytes).toString('base64'));

  it('never throws anything but InvalidConfigurationString on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          parseConfigurationString(text);
        } catch (error) {
          return error instanceof HcmError && error.code === 'InvalidConfigurationString';
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it('never echoes the key in an error, whatever is done to the rest of the string', () => {
    const part = fc.oneof(
      fc.constant('Endpoint=sb://contoso.servicebus.windows.net/'),
      fc.constant('Endpoint=https://contoso.servicebus.windows.net/'),
      fc.constant('SharedAccessKeyName=listen'),
      fc.constant('EntityPath=sql-orders'),
      fc.constant('UseDevelopmentEmulator=maybe'),
      fc.constant('SharedSecretIssuer=owner'),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(base64Key, fc.array(part, { maxLength: 6 }), fc.nat(6), fc.constantFrom('SharedAccessKey', 'SharedSecretValue', 'Bogus', ''), (key, parts, at, keyName) => {
        const all = [...parts];
        all.splice(Math.min(at, all.length), 0, keyName === '' ? key : `${keyName}=${key}`);
        try {
          parseConfigurationString(all.join(';'));
        } catch (error) {
          return error instanceof HcmError && !error.message.includes(key) && !JSON.stringify(error.toJSON()).includes(key);
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it('never shows any ;-separated fragment of a secret, wherever the key sits and whatever follows it', () => {
    const fragment = fc.stringMatching(/^[A-Za-z0-9+/]{8,16}={0,2}$/);
    const known = fc.constantFrom('EntityPath=sql-orders', 'SharedAccessKeyName=listen', 'Endpoint=sb://-/', 'UseDevelopmentEmulator=maybe', 'OperationTimeout=x', '');
    fc.assert(
      fc.property(fc.array(fragment, { minLength: 1, maxLength: 4 }), fc.array(known, { maxLength: 4 }), fc.constantFrom('SharedAccessKey', 'sharedaccesskey', 'SharedAccessSignature'), (fragments, rest, name) => {
        const text = ['Endpoint=sb://contoso.servicebus.windows.net/', `${name}=${fragments.join(';')}`, ...rest].join(';');
        try {
          parseConfigurationString(text);
        } catch (error) {
          const shown = error instanceof HcmError ? `${error.message} ${JSON.stringify(error.toJSON())}` : String(error);
          return fragments.every((f) => !shown.includes(f));
        }
        return true;
      }),
      { numRuns: 1000, seed: 16 },
    );
  });
});
