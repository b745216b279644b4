import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../src/cli/commands';
import packageJson from '../../package.json';

const hcm = path.join(__dirname, '../../../bin/hcm.js');

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [hcm, ...args], { input, encoding: 'utf8', env: { ...process.env, HCM_HOME: '/nonexistent-hcm-home' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('hcm', () => {
  it('prints its version from package.json', () => {
    const { code, stdout } = run(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout.trim(), packageJson.version);
  });

  it('lists every command in --help', () => {
    const { code, stdout } = run(['--help']);
    assert.equal(code, 0);
    for (const command of COMMANDS) assert.match(stdout, new RegExp(`^  ${command.name}\\s`, 'm'));
  });

  for (const command of COMMANDS) {
    it(`has --help for ${command.name} that documents each of its options`, () => {
      const { code, stdout } = run([command.name, '--help']);
      assert.equal(code, 0);
      assert.match(stdout, new RegExp(`^Usage: hcm ${command.name}`));
      for (const option of Object.keys(command.options)) assert.match(stdout, new RegExp(`--${option}\\b`), `--${option} is undocumented`);
    });
  }

  it('exits 2 on an unknown command or flag', () => {
    assert.equal(run(['frobnicate']).code, 2);
    const { code, stderr } = run(['token', '--frobnicate']);
    assert.equal(code, 2);
    assert.match(stderr, /Unknown option '--frobnicate'/);
  });

  it('signs a token from a string on stdin and never prints the key', () => {
    const key = 'S2V5VGhhdFNob3VsZE5ldmVyQmVQcmludGVkMTIzNDU=';
    const text = `Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${key};EntityPath=sql-orders`;
    const { code, stdout } = run(['token', '--config-string-stdin', '--lifetime', '60'], text);
    assert.equal(code, 0);
    assert.match(stdout, /^SharedAccessSignature sr=http%3A%2F%2Fcontoso\.servicebus\.windows\.net%2Fsql-orders&sig=.+&se=\d+&skn=send\n$/);
    assert.ok(!stdout.includes(key));
  });

  it('refuses a malformed string with exit 2, naming the problem without the key', () => {
    const key = 'S2V5VGhhdFNob3VsZE5ldmVyQmVQcmludGVkMTIzNDU=';
    const { code, stderr } = run(['token', '--config-string', `Endpoint=https://x/;SharedAccessKey=${key}`]);
    assert.equal(code, 2);
    assert.match(stderr, /sb:\/\/ scheme/);
    assert.ok(!stderr.includes(key));
  });
});
