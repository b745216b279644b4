/**
 * Back-pressure of streamed responses over a real socket: while the client does not read, the
 * source (in production, the mssql request) is paused, so the server never holds more than the
 * socket buffers; a client that leaves cancels the source.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { JsonStream } from '../../../../src/connectors/sql/http/json-stream';

const ROWS = 20_000;
const ROW = JSON.stringify({ text: 'x'.repeat(1000) });

/** A row source like a paused/resumed mssql request: produces while not paused. */
class FakeSource {
  produced = 0;
  pauses = 0;
  producedAtFirstPause = -1;
  canceled = false;
  private paused = false;

  constructor(private readonly out: JsonStream) {}

  run(): void {
    const step = () => {
      if (this.canceled) return;
      if (this.produced >= ROWS) {
        this.out.end(']}');
        return;
      }
      if (this.paused) return;
      this.out.commit();
      this.out.write(this.produced === 0 ? ROW : `,${ROW}`);
      this.produced += 1;
      setImmediate(step);
    };
    this.resumeStep = step;
    step();
  }

  private resumeStep: () => void = () => undefined;

  pause(): void {
    if (this.pauses === 0) this.producedAtFirstPause = this.produced;
    this.pauses += 1;
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    setImmediate(this.resumeStep);
  }

  cancel(): void {
    this.canceled = true;
  }
}

describe('streamed JSON responses', () => {
  let source: FakeSource | undefined;
  const app = express();
  app.get('/rows', (_req, res) => {
    const out = new JsonStream(res);
    source = new FakeSource(out);
    out.attach(source);
    out.write('{"value":[');
    source.run();
  });
  const server = http.createServer(app);
  const listening = new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('pauses the source while the client does not read, and delivers every row once it does', async () => {
    await listening;
    const { port } = server.address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      http.get(`http://127.0.0.1:${port}/rows`, (response) => {
        response.pause();
        const waitForPause = () => {
          if (source && source.pauses > 0) {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
            response.resume();
          } else setTimeout(waitForPause, 20);
        };
        waitForPause();
      }).on('error', reject);
    });
    assert.ok(source!.pauses > 0);
    assert.ok(source!.producedAtFirstPause < ROWS / 2, `the source ran ahead to ${source!.producedAtFirstPause} of ${ROWS} rows`);
    const parsed = JSON.parse(body) as { value: unknown[] };
    assert.equal(parsed.value.length, ROWS);
  });

  it('cancels the source when the client goes away', async () => {
    await listening;
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const request = http.get(`http://127.0.0.1:${port}/rows`, (response) => {
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', () => undefined);
    });
    const deadline = Date.now() + 5000;
    while (!source!.canceled && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(source!.canceled, true);
    assert.ok(source!.produced < ROWS);
  });
});
