/** The site template: the 403.14 page, server.js's entry contract, and web.config's hardening. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { forbiddenPage } from '../../../../src/connectors/sql/http/forbidden-page';

const siteDir = path.join(__dirname, '../../../../../sites/MicrosoftSqlConnector');
const webConfig = fs.readFileSync(path.join(siteDir, 'web.config'), 'utf8');
const withoutComments = webConfig.replace(/<!--[\s\S]*?-->/g, '');

describe('the site template', () => {
  it("serves IIS's 403.14 page from the app, without a physical path (IIS would send an empty 403)", () => {
    const page = forbiddenPage();
    assert.match(page, /HTTP Error 403\.14 - Forbidden/);
    assert.doesNotMatch(page, /Physical Path|[A-Z]:\\|inetpub/i);
  });

  it('escapes the requested URL on the page', () => {
    assert.match(forbiddenPage('http://x/<script>'), /&lt;script&gt;/);
  });

  it('hardens iisnode: one process, no dev errors, no debugger, no log files', () => {
    for (const attribute of ['nodeProcessCountPerApplication="1"', 'devErrorsEnabled="false"', 'debuggingEnabled="false"', 'loggingEnabled="false"']) {
      assert.ok(withoutComments.includes(attribute), attribute);
    }
    assert.match(withoutComments, /<add segment="node_modules" \/>/);
    assert.match(withoutComments, /<add segment="iisnode" \/>/);
  });

  it('sends every URL, the root included, to the app, whose responses IIS passes through untouched', () => {
    assert.match(withoutComments, /<match url="\.\*" \/>/);
    assert.match(withoutComments, /<defaultDocument enabled="false" \/>/);
    assert.match(withoutComments, /<directoryBrowse enabled="false" \/>/);
    assert.doesNotMatch(withoutComments, /<error\b/);
    assert.match(withoutComments, /<httpErrors existingResponse="PassThrough" \/>/);
    assert.match(withoutComments, /promoteServerVars="UNENCODED_URL"/);
    assert.doesNotMatch(withoutComments, /<webSocket\b/);
  });

  it('passes HCM_HOME and HCM_SITE_NAME as appSettings and leaves PORT to iisnode', () => {
    assert.match(withoutComments, /<add key="HCM_HOME" value="[^"]+" \/>/);
    assert.match(withoutComments, /<add key="HCM_SITE_NAME" value="MicrosoftSqlConnector_\d{3}" \/>/);
    assert.doesNotMatch(withoutComments, /key="PORT"/);
  });

  it('has a CommonJS server.js that loads the compiled site and stops on signals', () => {
    const server = fs.readFileSync(path.join(siteDir, 'server.js'), 'utf8');
    assert.match(server, /dist', 'src', 'connectors', 'sql', 'site\.js'/);
    assert.match(server, /SIGTERM/);
    assert.match(server, /SIGINT/);
  });
});
