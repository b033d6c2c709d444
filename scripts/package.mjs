// Builds the VSIX from dist/ (already bundled by `npm run build`) and reports its size and contents.
import { createVSIX } from '@vscode/vsce';
import { statSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const packagePath = join(root, `${name}-${version}.vsix`);
await createVSIX({ cwd: root, packagePath, dependencies: false, allowMissingRepository: true, rewriteRelativeLinks: false });
const size = statSync(packagePath).size;
console.log(`Packaged ${packagePath} (${(size / 1024).toFixed(0)} KiB)`);
