import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { validateManifest } from '../../src/config/manifest';
import { sampleManifest } from './manifest-fixtures';

const schemaFile = path.join(__dirname, '../../../docs/manifest.schema.json');

describe('docs/manifest.schema.json', () => {
  const validateWithSchema = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));

  const variants: Array<[string, (m: any) => void, boolean]> = [
    ['the sample', () => undefined, true],
    ['a SAS-token connector', (m) => { delete m.connectors[0].hybridConnection.keyName; delete m.connectors[0].hybridConnection.key; m.connectors[0].hybridConnection.sharedAccessSignature = 'SharedAccessSignature sr=a&sig=b&se=1&skn=c'; }, true],
    ['no connectors', (m) => { m.connectors = []; }, true],
    ['version 2', (m) => { m.version = 2; }, false],
    ['an unknown top-level field', (m) => { m.extra = 1; }, false],
    ['a bad site name', (m) => { m.connectors[0].site = 'Sql1'; }, false],
    ['a port out of range', (m) => { m.connectors[0].port = 0; }, false],
    ['both port and instance', (m) => { m.connectors[0].settings.instance = 'SQLEXPRESS'; }, false],
    ['a key without its name', (m) => { delete m.connectors[0].hybridConnection.keyName; }, false],
    ['an unknown setting', (m) => { m.connectors[0].settings.colour = 'red'; }, false],
    ['a page size of zero', (m) => { m.connectors[0].settings.pageSize = 0; }, false],
  ];

  for (const [name, change, valid] of variants) {
    it(`${valid ? 'accepts' : 'refuses'} ${name}, as the code does`, () => {
      const manifest = sampleManifest() as any;
      change(manifest);
      assert.equal(validateWithSchema(manifest), valid, JSON.stringify(validateWithSchema.errors));
      let codeAccepts = true;
      try {
        validateManifest(manifest);
      } catch {
        codeAccepts = false;
      }
      assert.equal(codeAccepts, valid);
    });
  }
});
