// Finds or installs every tool of the table (tool-table.js) and returns the environment that hands
// their paths to the tests. A tool that is missing and cannot be installed stops the run at once:
// a test command that passes without running the tests is not a pass.
'use strict';
const table = require('./tool-table');

/** @returns {Record<string, string>} the env variables (row.env → path) for the test processes */
function prepareTools() {
  const env = {};
  for (const row of table) {
    let found = row.find();
    let how = 'found';
    if (!found) {
      console.log(`tools: ${row.name} is not here yet; installing it`);
      try {
        row.install();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        console.error(`tools: ${row.missing} (${reason})`);
        process.exit(1);
      }
      found = row.find();
      how = 'installed now';
      if (!found) {
        console.error(`tools: ${row.missing} (its install finished, but it is still not found)`);
        process.exit(1);
      }
    }
    console.log(`tools: ${row.name}: ${found} (${how})`);
    env[row.env] = found;
  }
  return env;
}

module.exports = { prepareTools };

if (require.main === module) prepareTools();
