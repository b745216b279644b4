#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with Node's own test runner.
// Benchmarks live under test/bench and are not named *.test.ts, so they never run here.
'use strict';
const { spawnSync } = require('node:child_process');
const { prepareTools } = require('./tools/prepare');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', 'dist', 'test');

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

const filter = process.argv.slice(2);
const files = findTests(root)
  .filter((f) => filter.length === 0 || filter.some((part) => f.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`No test files found under ${root}: run "npm run build" first.`);
  process.exit(1);
}
// Every tool the tests need is found or installed first; a missing one stops the run here.
const toolEnv = prepareTools();
const result = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit', env: { ...process.env, ...toolEnv, HCM_LOG_LEVEL: process.env.HCM_LOG_LEVEL ?? 'silent' } },
);
process.exit(result.status ?? 1);
