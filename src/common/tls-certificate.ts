/**
 * A TLS identity for the emulators (relay emulator's wss/https, SQL Server stand-in's TDS TLS):
 * a certificate and key given by the user, or a self-signed one made once and kept in a folder so
 * that a user can trust it (and a restart keeps the same certificate). Emulators import only
 * `common`, so this lives here.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import forge from 'node-forge';

export interface TlsIdentity {
  /** PEM certificate (what a client trusts) and PEM private key. */
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
  /** Uppercase hex, no separators: the form Windows and SqlClient show a thumbprint in. */
  sha1Thumbprint: string;
  /** Colon-separated uppercase hex, as openssl and browsers show it. */
  sha256Fingerprint: string;
}

export interface TlsIdentityOptions {
  /** Folder where a generated certificate is kept (`<name>.crt`, `<name>.key`). */
  dir: string;
  /** File stem and certificate common name, e.g. `hcm-relay-emulator`. */
  name: string;
  /** Host names and IP addresses the certificate must cover (subject alternative names). */
  hosts: string[];
  /** A certificate and key of the user's own; both or neither. */
  certFile?: string;
  keyFile?: string;
}

/** Years a generated development certificate stays valid. */
const VALIDITY_YEARS = 5;

export function loadOrCreateTlsIdentity(options: TlsIdentityOptions): TlsIdentity {
  if ((options.certFile === undefined) !== (options.keyFile === undefined)) {
    throw new Error('Give both a certificate file and a key file, or neither (a certificate is then generated).');
  }
  if (options.certFile !== undefined && options.keyFile !== undefined) {
    return identityFromFiles(options.certFile, options.keyFile);
  }
  const certPath = path.join(options.dir, `${options.name}.crt`);
  const keyPath = path.join(options.dir, `${options.name}.key`);
  if (fs.existsSync(certPath) && fs.existsSync(keyPath)) {
    const kept = identityFromFiles(certPath, keyPath);
    if (coversHosts(kept.cert, options.hosts) && !expiresWithinADay(kept.cert)) return kept;
  }
  const { cert, key } = generateSelfSigned(options.name, options.hosts);
  fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(keyPath, key, { mode: 0o600 });
  fs.writeFileSync(certPath, cert, { mode: 0o644 });
  return describe(cert, key, certPath, keyPath);
}

function identityFromFiles(certPath: string, keyPath: string): TlsIdentity {
  const cert = readPem(certPath, 'certificate');
  const key = readPem(keyPath, 'private key');
  try {
    if (!new crypto.X509Certificate(cert).checkPrivateKey(crypto.createPrivateKey(key))) {
      throw new Error('the key does not belong to the certificate');
    }
  } catch (error) {
    throw new Error(`The certificate ${certPath} and key ${keyPath} cannot be used together: ${(error as Error).message}.`);
  }
  return describe(cert, key, certPath, keyPath);
}

function readPem(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

function describe(cert: string, key: string, certPath: string, keyPath: string): TlsIdentity {
  const x509 = new crypto.X509Certificate(cert);
  return {
    cert,
    key,
    certPath,
    keyPath,
    sha1Thumbprint: x509.fingerprint.replace(/:/g, ''),
    sha256Fingerprint: x509.fingerprint256,
  };
}

function coversHosts(cert: string, hosts: string[]): boolean {
  const x509 = new crypto.X509Certificate(cert);
  return hosts.every((host) => (net.isIP(host) ? x509.checkIP(host) : x509.checkHost(host)) !== undefined);
}

function expiresWithinADay(cert: string): boolean {
  return new Date(new crypto.X509Certificate(cert).validTo).getTime() - Date.now() < 86_400_000;
}

/** Key pair from Node's crypto (fast, native); node-forge only builds and signs the certificate. */
function generateSelfSigned(commonName: string, hosts: string[]): { cert: string; key: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  certificate.serialNumber = `01${crypto.randomBytes(15).toString('hex')}`; // positive, 16 bytes
  const now = new Date();
  certificate.validity.notBefore = new Date(now.getTime() - 60_000); // tolerate a little clock skew
  certificate.validity.notAfter = new Date(now.getTime());
  certificate.validity.notAfter.setFullYear(now.getFullYear() + VALIDITY_YEARS);
  const subject = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'Hybrid Connection Manager (development)' }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    // A CA certificate that is also the server certificate: users trust exactly this one file.
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: uniqueHosts(hosts).map(alternativeName) },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(certificate), key: keyPem };
}

function uniqueHosts(hosts: string[]): string[] {
  return [...new Set(hosts.map((host) => host.replace(/^\[|\]$/g, '')).filter(Boolean))];
}

/** SAN type 7 is an IP address (forge wants it as text), type 2 a DNS name. */
function alternativeName(host: string): { type: number; value?: string; ip?: string } {
  return net.isIP(host) ? { type: 7, ip: host } : { type: 2, value: host };
}
