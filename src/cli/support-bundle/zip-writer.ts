/**
 * Writes a zip with yazl (a maintained, dependency-free zip writer; no external binary), to a
 * temporary file first and renamed into place, readable only by its owner: a bundle describes the
 * installation even with its secrets removed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ZipFile } from 'yazl';

export interface ZipEntry {
  name: string;
  content: string | Buffer;
}

export async function writeZip(file: string, entries: ZipEntry[], mtime = new Date()): Promise<void> {
  const zip = new ZipFile();
  for (const entry of entries) zip.addBuffer(Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content, 'utf8'), entry.name, { mtime, mode: 0o100600 });
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  const out = fs.createWriteStream(partial, { mode: 0o600 });
  const written = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
    zip.outputStream.on('error', reject);
  });
  zip.outputStream.pipe(out);
  zip.end();
  try {
    await written;
    fs.renameSync(partial, file);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}
