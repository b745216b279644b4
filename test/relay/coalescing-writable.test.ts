import assert from 'node:assert/strict';
import { pipeline, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { coalescingWritable, COALESCE_BYTES, FrameSink } from '../../src/relay/coalescing-writable';
import { ListenerService } from '../../src/listener/listener-service';
import { manifestWith, sendThroughRelay, startRelay, waitFor } from './relay-fixtures';
import http from 'node:http';

function recordingSink(): FrameSink & { frames: Buffer[]; ended: boolean } {
  const sink = {
    frames: [] as Buffer[],
    ended: false,
    write(chunk: Buffer) {
      sink.frames.push(chunk);
    },
    whenDrained(callback: () => void) {
      setImmediate(callback);
    },
    end() {
      sink.ended = true;
    },
  };
  return sink;
}

const rows = (count: number) => Array.from({ length: count }, (_unused, i) => Buffer.from(`{"Id":${i},"Name":"row ${i}"},`));

describe('coalescingWritable', () => {
  it('gathers many small writes into few frames, in order, with nothing lost', async () => {
    const sink = recordingSink();
    const input = rows(20_000);
    await promisify(pipeline)(Readable.from(input), coalescingWritable(sink));
    assert.equal(Buffer.concat(sink.frames).toString(), Buffer.concat(input).toString());
    assert.ok(sink.frames.length < 20, `${sink.frames.length} frames for 20,000 writes`);
    assert.ok(sink.frames.every((frame) => frame.length <= COALESCE_BYTES + 64));
    assert.equal(sink.ended, true);
  });

  it('flushes a lone small write on the next turn, without waiting for more', async () => {
    const sink = recordingSink();
    const writable = coalescingWritable(sink);
    writable.write(Buffer.from('first row'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(sink.frames.map(String), ['first row']);
    writable.end();
  });

  it('fails the stream when the transport refuses a frame', async () => {
    const sink = recordingSink();
    sink.write = () => {
      throw new Error('channel closed');
    };
    await assert.rejects(promisify(pipeline)(Readable.from(rows(10_000)), coalescingWritable(sink)), /channel closed/);
  });
});

describe('a connector streaming one row per write through the relay', () => {
  it('arrives whole even past 16,384 writes (one relay frame per write used to be cut off)', async (t) => {
    const relay = await startRelay(t, ['sql-orders']);
    const ROWS = 40_000;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let i = 0;
      const pump = () => {
        while (i < ROWS) if (!res.write(`{"Id":${i++}},`)) return res.once('drain', pump);
        res.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const service = new ListenerService({ siteName: 'MicrosoftAzureBizTalkHybridListener', settings: {} });
    t.after(() => service.shutdown(0));
    service.apply(manifestWith([{ connectionString: relay.connectionString('sql-orders'), port: (server.address() as { port: number }).port }]));
    await waitFor('Connected', () => service.status().every((entry) => entry.state === 'Connected'));
    const response = await sendThroughRelay(relay, 'sql-orders', { suffix: '/tables/Big/items' });
    assert.equal(response.status, 200);
    const expected = Array.from({ length: ROWS }, (_unused, i) => `{"Id":${i}},`).join('');
    assert.equal(response.body.length, expected.length);
    assert.equal(response.body.toString(), expected);
  });
});
