// `npm start`: the packaged extension in a local VS Code (code-server) on the example workspace.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureE2E, ROOT } from './ensure-e2e.mjs';
import { makeSandbox, installVsix, startCodeServer } from '../test/e2e/codeServer.mjs';

ensureE2E({ packages: ['libkrb5-dev', 'build-essential'] });
const pack = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'package.mjs')], { stdio: 'inherit' });
if (pack.status !== 0) process.exit(pack.status ?? 1);
const { name, version } = (await import('../package.json', { with: { type: 'json' } })).default;
const sandbox = makeSandbox('pcc-start-');
installVsix(sandbox, path.join(ROOT, `${name}-${version}.vsix`));
const server = await startCodeServer(sandbox, { smokeTestDriver: false, timeoutMs: 120_000 });
const url = `${server.base}/?folder=${encodeURIComponent(path.join(ROOT, 'examples'))}`;
console.log(`\nPython Concurrency Coach is running in VS Code at:\n\n    ${url}\n\nOpen it in a browser; press Ctrl+C to stop.`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
await new Promise(() => undefined);
