#!/usr/bin/env node
// The `hcm` command: loads the compiled CLI (npm ci builds it through the prepare script).
'use strict';
let cli;
try {
  cli = require('../dist/src/cli/main.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist')) {
    console.error('hcm: the build is missing; run "npm ci" (or "npm run build") in the product folder first.');
    process.exit(1);
  }
  throw error;
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`hcm: ${error && error.message ? error.message : error}`);
    process.exitCode = 1;
  },
);
