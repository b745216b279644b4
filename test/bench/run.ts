/**
 * `npm run bench [-- --json FILE] [-- --smoke]`: what the relay path costs, measured side by side.
 * Everything on loopback, bounded in time (about 3–4 minutes on 2 cores), seeding its own data.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { startEnvironment } from './environment';
import { childExecArgv } from './processes';
import { BenchReport, formatReport } from './report';
import { driverFloor, FULL, largeResults, listenerAlone, machine, relayOverhead, SMOKE, BenchSettings } from './scenarios';

export async function runBenchmarks(settings: BenchSettings, log: (line: string) => void = () => undefined): Promise<BenchReport> {
  const env = await startEnvironment(settings.largeRows[1]);
  try {
    log('relay overhead (connector direct vs through relay + listener)…');
    const relay = await relayOverhead(env, settings);
    log('listener alone (echo server direct vs through relay + listener)…');
    const echo = await listenerAlone(env, settings);
    log('large results through the relay…');
    const large = await largeResults(env, settings);
    log('driver floor (mssql straight to the stand-in)…');
    const driver = await driverFloor(env, settings);
    return { machine: machine(), settings, relay, echo, large, driver };
  } finally {
    await env.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'string' }, smoke: { type: 'boolean' }, 'cpu-prof': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log([
      'Usage: npm run bench [-- --json FILE] [-- --smoke] [-- --cpu-prof DIR]',
      '',
      'Measures the relay path against direct calls (every ratio from pairs measured in this run).',
      '  --json FILE     also write the figures as JSON',
      '  --smoke         tiny counts (what npm test runs)',
      '  --cpu-prof DIR  write a V8 CPU profile of every server (relay, stand-in, listener, connector) to DIR',
    ].join('\n'));
    return;
  }
  if (values['cpu-prof']) childExecArgv.push('--cpu-prof', '--cpu-prof-dir', values['cpu-prof']);
  const started = Date.now();
  const report = await runBenchmarks(values.smoke ? SMOKE : FULL, (line) => console.error(line));
  console.log(formatReport(report));
  console.log(`\n(total ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
