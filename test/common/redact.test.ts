import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createLogger, logAccess } from '../../src/common/logger';
import { REDACTED, redact, redactText } from '../../src/common/redact';

const KEY = 'U2VjcmV0S2V5VGhhdE11c3ROZXZlckJlTG9nZ2VkMTI=';
const TOKEN = 'SharedAccessSignature sr=http%3A%2F%2Fns%2Fhc&sig=c2lnbmF0dXJl%3D&se=1&skn=listen';

describe('redact', () => {
  it('removes keys from connection strings, passwords from ADO.NET strings and SAS signatures', () => {
    const cases = [
      `Endpoint=sb://ns/;SharedAccessKeyName=listen;SharedAccessKey=${KEY};EntityPath=hc`,
      `Server=db,1433;User Id=sa;Password=${KEY};Encrypt=false`,
      `wss://ns:443/$hc/hc?sb-hc-action=listen&sb-hc-token=${encodeURIComponent(TOKEN)}`,
      `ServiceBusAuthorization: ${TOKEN}`,
      `SharedAccessSignature=${TOKEN.replace('c2lnbmF0dXJl%3D', KEY)};EntityPath=hc`,
      `Endpoint=sb://ns/;SharedSecretIssuer=owner;SharedSecretValue=${KEY}`,
    ];
    for (const text of cases) {
      const cleaned = redactText(text);
      assert.ok(!cleaned.includes(KEY) && !cleaned.includes('c2lnbmF0dXJl'), cleaned);
      assert.ok(cleaned.includes(REDACTED), cleaned);
    }
    assert.match(redactText(`SharedAccessKeyName=listen;SharedAccessKey=${KEY}`), /SharedAccessKeyName=listen/);
  });

  it('replaces secret-named properties at any depth, leaving the input alone', () => {
    const input = {
      hybridConnection: { keyName: 'listen', key: KEY },
      settings: { user: 'sa', password: 'p@ss' },
      headers: { authorization: 'Basic abc', ServiceBusAuthorization: TOKEN, 'content-type': 'json' },
      list: [{ sharedAccessSignature: TOKEN }],
      empty: { password: '' },
    };
    const output = redact(input);
    assert.equal(output.hybridConnection.key, REDACTED);
    assert.equal(output.hybridConnection.keyName, 'listen');
    assert.equal(output.settings.password, REDACTED);
    assert.equal(output.headers.authorization, REDACTED);
    assert.equal(output.headers.ServiceBusAuthorization, REDACTED);
    assert.equal(output.headers['content-type'], 'json');
    assert.equal(output.list[0].sharedAccessSignature, REDACTED);
    assert.equal(output.empty.password, '');
    assert.equal(input.hybridConnection.key, KEY);
  });

  it('survives cycles, errors and buffers', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    assert.equal((redact(cyclic) as Record<string, unknown>).self, '[Circular]');
    const error = redact(new Error(`login failed: Password=${KEY}`)) as unknown as { message: string };
    assert.ok(!error.message.includes(KEY));
    assert.equal(redact({ body: Buffer.alloc(3) }).body, '<3 bytes>' as unknown);
  });
});

describe('createLogger', () => {
  it('writes JSON lines to <logDir>/<name>.log with secrets redacted, access lines marked', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-log-'));
    try {
      const logger = createLogger({ name: 'MicrosoftSqlConnector_001', logDir: dir, stdout: false, level: 'debug' });
      logger.info({ settings: { password: KEY } }, `connecting with SharedAccessKey=${KEY}`);
      logAccess(logger, { method: 'GET', target: '/tables', status: 200, ms: 3, correlationId: 'abc' });
      logger.flush();
      const lines = fs.readFileSync(path.join(dir, 'MicrosoftSqlConnector_001.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(lines.length, 2);
      assert.ok(!JSON.stringify(lines).includes(KEY), 'a secret reached the log file');
      assert.equal(lines[0].settings.password, REDACTED);
      assert.deepEqual(
        { channel: lines[1].channel, method: lines[1].method, status: lines[1].status, correlationId: lines[1].correlationId },
        { channel: 'access', method: 'GET', status: 200, correlationId: 'abc' },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
