// `npm run test:vsix`: packages the VSIX, then runs the VS Code suite against the installed package
// (not the development folder), as a user who installs the VSIX would run it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const pack = spawnSync(process.execPath, [path.join(root, 'scripts', 'package.mjs')], { stdio: 'inherit' });
if (pack.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const vsix = path.join(root, `${name}-${version}.vsix`);
const run = spawnSync(process.execPath, [path.join(root, 'test', 'e2e', 'run.mjs')], {
  stdio: 'inherit',
  env: { ...process.env, PCC_E2E_VSIX: vsix },
});
process.exit(run.status ?? 1);
