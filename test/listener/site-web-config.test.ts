/**
 * The listener site's web.config holds what the issue and iisnode's defaults require (iisnode
 * itself cannot run here, so the file is checked as text against each requirement).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const SITE_DIR = path.resolve(__dirname, '..', '..', '..', 'sites', 'MicrosoftAzureBizTalkHybridListener');
// Comments explain the choices; the checks look at the markup only.
const config = fs.readFileSync(path.join(SITE_DIR, 'web.config'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');

function attribute(element: string, name: string): string | undefined {
  const tag = new RegExp(`<${element}\\b[^>]*>`, 's').exec(config)?.[0];
  return tag ? new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1] : undefined;
}

describe('listener web.config', () => {
  it('runs server.js through iisnode with every URL rewritten to it', () => {
    assert.match(config, /<add name="iisnode" path="server\.js" verb="\*" modules="iisnode" \/>/);
    assert.match(config, /<match url="\.\*" \/>\s*<action type="Rewrite" url="server\.js" \/>/);
    assert.ok(fs.existsSync(path.join(SITE_DIR, 'server.js')));
  });

  it('keeps one node process and turns iisnode logging, developer errors and debugging off', () => {
    assert.equal(attribute('iisnode', 'nodeProcessCountPerApplication'), '1');
    assert.equal(attribute('iisnode', 'loggingEnabled'), 'false');
    assert.equal(attribute('iisnode', 'devErrorsEnabled'), 'false');
    assert.equal(attribute('iisnode', 'debuggingEnabled'), 'false');
  });

  it('hides node_modules and iisnode, leaves webSocket alone (locked on a default IIS) and warms up through /warmup', () => {
    assert.match(config, /<hiddenSegments>\s*<add segment="node_modules" \/>\s*<add segment="iisnode" \/>\s*<\/hiddenSegments>/);
    assert.doesNotMatch(config, /<webSocket\b/);
    assert.match(config, /<applicationInitialization[^>]*>\s*<add initializationPage="\/warmup" \/>/);
  });

  it('sets HCM_HOME and HCM_SITE_NAME in appSettings but never PORT (iisnode passes its named pipe)', () => {
    const keys = [...config.matchAll(/<add key="([^"]+)" value="([^"]*)" \/>/g)].map((match) => [match[1], match[2]]);
    assert.deepEqual(Object.fromEntries(keys), { HCM_HOME: 'C:\\ProgramData\\HybridConnectionManager', HCM_SITE_NAME: 'MicrosoftAzureBizTalkHybridListener' });
  });
});
