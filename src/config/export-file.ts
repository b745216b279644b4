/**
 * The encrypted export file that carries a manifest's connectors (with their secrets) to a second
 * server. Nothing in it is readable without the passphrase, and every byte is authenticated, so
 * a changed byte anywhere — header included — is refused instead of half-imported.
 *
 *   offset  size  field
 *   0       8     magic "HCMEXPRT"
 *   8       1     format version (1)
 *   9       1     log2 of scrypt's N (15 → N = 32768); r = 8, p = 1 fixed by the version
 *   10      16    scrypt salt (random per export)
 *   26      12    AES-256-GCM nonce (random per export)
 *   38      n     ciphertext of the UTF-8 JSON payload
 *   38+n    16    GCM tag
 *
 * Bytes 0..37 are the GCM additional authenticated data, so a changed header fails the tag check
 * just as a changed ciphertext does. The key is scrypt(passphrase, salt, 32).
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

export const EXPORT_MAGIC = Buffer.from('HCMEXPRT', 'ascii');
export const EXPORT_VERSION = 1;
const DEFAULT_LOG2_N = 15;
/** A header may not ask for more work than this (N = 2^20 needs 1 GiB with r = 8). */
const MIN_LOG2_N = 14;
const MAX_LOG2_N = 17;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = EXPORT_MAGIC.length + 1 + 1 + SALT_BYTES + NONCE_BYTES;
export const MIN_PASSPHRASE_LENGTH = 8;

/** The file is not an export, is damaged, or the passphrase is wrong: bad input (exit 2). */
export class ExportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportFileError';
  }
}

function deriveKey(passphrase: string, salt: Buffer, log2N: number): Promise<Buffer> {
  const N = 2 ** log2N;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, { N, r: R, p: P, maxmem: 256 * N * R }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export function passphraseProblem(passphrase: string): string | undefined {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return `The passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters.`;
  return undefined;
}

/** Encrypts `payload` (any JSON value) with the passphrase. */
export async function sealExport(payload: unknown, passphrase: string, log2N = DEFAULT_LOG2_N): Promise<Buffer> {
  const problem = passphraseProblem(passphrase);
  if (problem) throw new ExportFileError(problem);
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const header = Buffer.concat([EXPORT_MAGIC, Buffer.from([EXPORT_VERSION, log2N]), salt, nonce]);
  const key = await deriveKey(passphrase, salt, log2N);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(Buffer.from(JSON.stringify(payload), 'utf8')), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

/** Decrypts an export; throws ExportFileError naming what is wrong (never the passphrase). */
export async function openExport(file: Buffer, passphrase: string): Promise<unknown> {
  if (file.length < HEADER_BYTES + TAG_BYTES || !file.subarray(0, EXPORT_MAGIC.length).equals(EXPORT_MAGIC)) {
    throw new ExportFileError('This is not an hcm export file (made by hcm export --to FILE), or its beginning is damaged.');
  }
  const version = file[EXPORT_MAGIC.length];
  if (version !== EXPORT_VERSION) {
    throw new ExportFileError(`This export file has format version ${version}; this hcm reads version ${EXPORT_VERSION}. Export again with the same hcm version, or the file is damaged.`);
  }
  const log2N = file[EXPORT_MAGIC.length + 1];
  if (log2N < MIN_LOG2_N || log2N > MAX_LOG2_N) throw new ExportFileError('This export file is damaged (its key parameters are out of range).');
  const salt = file.subarray(EXPORT_MAGIC.length + 2, EXPORT_MAGIC.length + 2 + SALT_BYTES);
  const nonce = file.subarray(HEADER_BYTES - NONCE_BYTES, HEADER_BYTES);
  const key = await deriveKey(passphrase, salt, log2N);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(file.subarray(0, HEADER_BYTES));
  decipher.setAuthTag(file.subarray(file.length - TAG_BYTES));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(file.subarray(HEADER_BYTES, file.length - TAG_BYTES)), decipher.final()]);
  } catch {
    // GCM cannot tell a wrong key from a changed byte; say both.
    throw new ExportFileError('The passphrase is wrong, or the export file was changed or damaged after it was made. Nothing was imported.');
  }
  try {
    return JSON.parse(plain.toString('utf8'));
  } catch {
    throw new ExportFileError('The export file decrypted but its content is not valid; it was made by an incompatible hcm.');
  }
}
