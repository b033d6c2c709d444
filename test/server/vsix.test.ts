// The VSIX holds exactly what the extension needs: bundles, wasm grammars, docs, snippets, icon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './helpers';
import { tempTree } from './tempDirs';

// vsce is ESM-free CommonJS with its own types; loaded lazily because packaging is the slow part.
const vsce = require('@vscode/vsce') as {
  listFiles(options: { cwd: string; packageManager?: string }): Promise<string[]>;
  createVSIX(options: Record<string, unknown>): Promise<void>;
};

test('the VSIX contains the bundles, wasm, docs, snippets and icon, and nothing else', async () => {
  const files = (await vsce.listFiles({ cwd: ROOT, packageManager: 'none' })).map((f) => f.split(path.sep).join('/')).sort();
  for (const needed of ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-python.wasm',
    'docs/guide.md', 'docs/rules/PCC101.md', 'snippets/python.json', 'images/icon.png', 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
    assert.ok(files.includes(needed), `${needed} is packaged`);
  }
  const unexpected = files.filter((f) => !/^(dist\/[\w-]+\.(js|wasm)|docs\/.*\.md|snippets\/python\.json|images\/[\w-]+\.png|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(f));
  assert.deepEqual(unexpected, [], 'no sources, tests, maps, node_modules or caches');
  assert.ok(!files.some((f) => f.endsWith('.node')), 'no native modules');
});

test('the VSIX is small', async () => {
  const out = path.join(tempTree('pcc-vsix-'), 'coach.vsix');
  await vsce.createVSIX({ cwd: ROOT, packagePath: out, dependencies: false, allowMissingRepository: true, rewriteRelativeLinks: false });
  const size = fs.statSync(out).size;
  console.log(`VSIX size: ${(size / 1024).toFixed(0)} KiB`);
  assert.ok(size < 2 * 1024 * 1024, `${size} bytes is under 2 MiB`);
});
