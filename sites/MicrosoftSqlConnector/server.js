// Entry point of a MicrosoftSqlConnector_nnn site, started by iisnode or by the standalone host.
// Environment: PORT (a TCP port, or the named pipe iisnode passes), HCM_HOME (folder of hcm.json),
// HCM_SITE_NAME (this site's key in the manifest). The app itself is compiled TypeScript in dist/.
'use strict';

const path = require('node:path');
const { startSite } = require(path.join(__dirname, '..', '..', 'dist', 'src', 'connectors', 'sql', 'site.js'));

let site;
let stopping = false;

async function stop(reason) {
  if (stopping) return;
  stopping = true;
  console.log(`${process.env.HCM_SITE_NAME || 'MicrosoftSqlConnector'}: stopping (${reason})`);
  // A second signal, or a drain that takes too long, ends the process at once.
  setTimeout(() => process.exit(1), 15000).unref();
  try {
    if (site && site.status === 'Running') await site.close();
    process.exit(0);
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGBREAK']) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    void stop(signal);
  });
}
// Started by a host over IPC: when the host goes away, so does the site.
if (process.send) process.on('disconnect', () => void stop('host disconnected'));

startSite(process.env).then(
  (started) => {
    site = started;
  },
  (error) => {
    console.error(`${process.env.HCM_SITE_NAME || 'MicrosoftSqlConnector'}: cannot start: ${error.message}`);
    process.exit(1);
  },
);
