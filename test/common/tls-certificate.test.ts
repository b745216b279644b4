import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { loadOrCreateTlsIdentity } from '../../src/common/tls-certificate';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-cert-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function tempDir(): string {
  return fs.mkdtempSync(path.join(root, 'case-'));
}

async function fetchOver(identityCert: string, key: string, trusted: string, host: string): Promise<string> {
  const server = https.createServer({ cert: identityCert, key }, (_req, res) => res.end('hello over TLS'));
  await new Promise<void>((resolve) => server.listen(0, host === '::1' ? '::1' : '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<string>((resolve, reject) => {
      const request = https.get(
        { host, port, ca: trusted },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve(body));
        },
      );
      request.on('error', reject);
    });
  } finally {
    server.close();
  }
}

test('a generated certificate is trusted by a client given only its file, for a host name and an IP address', async () => {
  const dir = tempDir();
  const identity = loadOrCreateTlsIdentity({ dir, name: 'hcm-test', hosts: ['localhost', '127.0.0.1', '::1'] });
  assert.equal(identity.certPath, path.join(dir, 'hcm-test.crt'));
  const trusted = fs.readFileSync(identity.certPath, 'utf8');
  assert.equal(await fetchOver(identity.cert, identity.key, trusted, '127.0.0.1'), 'hello over TLS');
  assert.equal(await fetchOver(identity.cert, identity.key, trusted, 'localhost'), 'hello over TLS');
  assert.match(identity.sha1Thumbprint, /^[0-9A-F]{40}$/);
  assert.equal((fs.statSync(identity.keyPath).mode & 0o077), 0, 'the key is readable by its owner only');
});

test('a client that does not trust the certificate is refused with a certificate error', async () => {
  const identity = loadOrCreateTlsIdentity({ dir: tempDir(), name: 'hcm-test', hosts: ['127.0.0.1'] });
  const other = loadOrCreateTlsIdentity({ dir: tempDir(), name: 'hcm-test', hosts: ['127.0.0.1'] });
  await assert.rejects(fetchOver(identity.cert, identity.key, other.cert, '127.0.0.1'), (error: NodeJS.ErrnoException) => {
    assert.match(String(error.code), /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    return true;
  });
});

test('a second start keeps the certificate; a new host name makes a new one', () => {
  const dir = tempDir();
  const first = loadOrCreateTlsIdentity({ dir, name: 'relay', hosts: ['localhost'] });
  const again = loadOrCreateTlsIdentity({ dir, name: 'relay', hosts: ['localhost'] });
  assert.equal(again.sha1Thumbprint, first.sha1Thumbprint);
  const wider = loadOrCreateTlsIdentity({ dir, name: 'relay', hosts: ['localhost', 'relay.example.test'] });
  assert.notEqual(wider.sha1Thumbprint, first.sha1Thumbprint);
});

test('given files are used as they are; a mismatched pair or a lone file is refused with both paths named', () => {
  const a = loadOrCreateTlsIdentity({ dir: tempDir(), name: 'a', hosts: ['localhost'] });
  const b = loadOrCreateTlsIdentity({ dir: tempDir(), name: 'b', hosts: ['localhost'] });
  const given = loadOrCreateTlsIdentity({ dir: tempDir(), name: 'x', hosts: ['localhost'], certFile: a.certPath, keyFile: a.keyPath });
  assert.equal(given.sha1Thumbprint, a.sha1Thumbprint);
  assert.throws(
    () => loadOrCreateTlsIdentity({ dir: tempDir(), name: 'x', hosts: [], certFile: a.certPath, keyFile: b.keyPath }),
    (error: Error) => error.message.includes(a.certPath) && error.message.includes(b.keyPath),
  );
  assert.throws(() => loadOrCreateTlsIdentity({ dir: tempDir(), name: 'x', hosts: [], certFile: a.certPath }), /both/);
  assert.throws(
    () => loadOrCreateTlsIdentity({ dir: tempDir(), name: 'x', hosts: [], certFile: '/nonexistent/c.pem', keyFile: a.keyPath }),
    /\/nonexistent\/c\.pem: ENOENT/,
  );
});
