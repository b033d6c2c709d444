// ruff-wasm over a list of files (a JSON file of paths, or a JSON array as the argument), with
// the ASYNC rules and RUF006: the peer the whole-tree and start-up figures are compared with.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'package.json'));
const { Workspace, PositionEncoding } = require('@astral-sh/ruff-wasm-nodejs');
const arg = process.argv[2];
const files = JSON.parse(arg.startsWith('[') ? arg : fs.readFileSync(arg, 'utf8'));
const ws = new Workspace({ lint: { select: ['ASYNC', 'RUF006'] } }, PositionEncoding.Utf16);
let count = 0;
for (const file of files) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    continue;
  }
  try {
    count += ws.check(text.replace(/^\uFEFF/, '')).length;
  } catch {
    // a file ruff cannot read counts as checked
  }
}
process.stdout.write(`${count}\n`);
