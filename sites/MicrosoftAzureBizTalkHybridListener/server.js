// MicrosoftAzureBizTalkHybridListener: the site entry that iisnode (web.config) or the standalone
// host runs. It loads the compiled listener app; PORT, HCM_HOME and HCM_SITE_NAME come from the
// environment (under iisnode: PORT is iisnode's named pipe, the others come from <appSettings>).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const app = path.join(__dirname, '..', '..', 'dist', 'src', 'listener', 'site.js');
if (!fs.existsSync(app)) {
  console.error(`The listener is not built (${app} is missing): run "npm ci" or "npm run build" in the product folder.`);
  process.exit(1);
}
const site = require(app);

site.startSite().catch((error) => {
  console.error(`MicrosoftAzureBizTalkHybridListener could not start: ${error && error.message ? error.message : error}`);
  process.exit(1);
});
