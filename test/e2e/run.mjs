#!/usr/bin/env node
// `npm run test:vscode`: runs the mocha suite (out/test/e2e/suite/index.js) inside a real
// VS Code extension host: code-server 4.139.1 (VS Code 1.139.1) from npm, opened in headless
// Debian chromium with the smoke-test driver's `payload`. Recipe: shared/design/E2E.md.
//
// Environment:
//   PCC_E2E_VSIX=path.vsix   run against this packaged extension (installed with
//                            code-server --install-extension) instead of the dev folder
//   PCC_E2E_EXTENSION_DIR    extension development folder (default: the repo root)
//   PCC_E2E_TESTS            compiled suite index (default: out/test/e2e/suite/index.js)
//   PCC_E2E_WORKSPACE        folder to open (default: test/e2e/workspace)
//   PCC_E2E_TIMEOUT          overall deadline in seconds once deps are ready (default: 180)
//   PCC_E2E_GREP             only run tests whose full title matches (mocha grep)
//   PCC_E2E_VERBOSE=1        forward every workbench log line, not only the suite's
//   PCC_E2E_KEEP=1           keep the temp folder (code-server log, settings, profile)
// Ends with a plain `N passed, N failed` line and exits non-zero if anything failed.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureE2E } from '../../scripts/ensure-e2e.mjs';
import { copyWorkspace, extensionHostReport, installVsix, launchBrowser, makeSandbox, removeSandbox, startCodeServer, tail, workbenchUrl } from './codeServer.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = process.env;
const VSIX = env.PCC_E2E_VSIX ? path.resolve(env.PCC_E2E_VSIX) : null;
const EXTENSION_DIR = path.resolve(env.PCC_E2E_EXTENSION_DIR || ROOT);
const TESTS = path.resolve(env.PCC_E2E_TESTS || path.join(ROOT, 'out', 'test', 'e2e', 'suite', 'index.js'));
const WORKSPACE = path.resolve(env.PCC_E2E_WORKSPACE || path.join(ROOT, 'test', 'e2e', 'workspace'));
const TIMEOUT_MS = Number(env.PCC_E2E_TIMEOUT || 180) * 1000;
const VERBOSE = !!env.PCC_E2E_VERBOSE;

const say = (msg) => console.log(`[e2e] ${msg}`);

function finish(passed, failed, code) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code);
}

function preflight() {
  if (!fs.existsSync(TESTS)) throw new Error(`${TESTS} is missing: build first (npm run build compiles test/ into out/)`);
  if (!fs.existsSync(WORKSPACE)) throw new Error(`${WORKSPACE} is missing`);
  if (!VSIX) {
    const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, 'package.json'), 'utf8'));
    const main = manifest.main && path.join(EXTENSION_DIR, manifest.main);
    if (main && !fs.existsSync(main) && !fs.existsSync(`${main}.js`)) {
      throw new Error(`${main} is missing: run npm run build`);
    }
  }
}

// codeAutomationLog(level, message) carries the window's log, into which the extension host's
// console (the suite's reporter) is mixed without a prefix; drop the workbench's known chatter.
const CHATTER = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^\[AgentHost:/,
  /^\[AccountPolicyGate\]/,
  /^Ignoring fetching additional builtin extensions from gallery/,
];
function forward(type, message) {
  const text = String(message ?? '');
  if (VERBOSE) return console.log(`[${type}] ${text}`);
  if (type === 'trace' || type === 'debug' || CHATTER.some((re) => re.test(text))) return;
  // Workbench errors come with a browser stack; their first line is enough here.
  console.log(type === 'error' ? `[workbench error] ${text.split('\n')[0]}` : text);
}

function stubExtension(sandbox) {
  const dir = path.join(sandbox.root, 'stub-extension');
  fs.mkdirSync(dir, { recursive: true });
  const manifest = { name: 'e2e-stub', publisher: 'pcc-e2e', version: '0.0.0', engines: { vscode: '*' } };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

async function main() {
  const t0 = Date.now();
  const { missingPackages } = ensureE2E();
  if (missingPackages.length) throw new Error(`missing Debian packages: ${missingPackages.join(', ')}`);
  preflight();
  say(`dependencies ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  const sandbox = makeSandbox();
  let server = null;
  let browser = null;
  let passed = 0;
  let failed = 0;
  let counted = false;
  const live = { passed: 0, failed: 0 }; // from the reporter's ok/FAIL lines, should the summary never come
  let settled = false;
  let exiting = false;

  const cleanup = async () => {
    await browser?.context.close().catch(() => {});
    await server?.stop();
    removeSandbox(sandbox);
  };
  const end = async (code, why) => {
    if (settled) return;
    settled = true;
    if (why) say(why);
    if (!counted) {
      passed = live.passed;
      failed = live.failed + (code !== 0 ? 1 : 0);
    }
    if (code !== 0 || failed > 0) {
      const report = extensionHostReport(sandbox);
      if (report) say(`extension host logs:\n${report}`);
      if (!counted) say(`code-server log (tail):\n${tail(sandbox.serverLog, 20)}`);
    }
    await cleanup();
    say(`finished in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    finish(passed, failed, code === 0 && failed === 0 ? 0 : 1);
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => end(130, `interrupted by ${sig}`));
  const deadline = setTimeout(() => end(1, `deadline of ${TIMEOUT_MS / 1000}s reached`), TIMEOUT_MS);

  try {
    if (VSIX) installVsix(sandbox, VSIX, say);
    // Read by the activation test (the extension host inherits code-server's environment).
    process.env.PCC_E2E_EXPECT_EXTENSION_PATH = VSIX ? sandbox.extensions : EXTENSION_DIR;
    server = await startCodeServer(sandbox, { log: say });
    browser = await launchBrowser(sandbox);
    const { page } = browser;
    await page.exposeFunction('codeAutomationLog', (type, message) => {
      const text = String(message ?? '');
      if (exiting && !VERBOSE) return; // teardown noise ("Canceled") after the suite exited
      forward(type, text);
      for (const line of text.split('\n')) {
        if (/^\s*ok /.test(line)) live.passed++;
        else if (/^\s*FAIL /.test(line)) live.failed++;
      }
      const m = /(?:^|\n)mocha: (\d+) passed, (\d+) failed/.exec(text);
      if (m) {
        passed = Number(m[1]);
        failed = Number(m[2]);
        counted = true;
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      clearTimeout(deadline);
      exiting = true;
      // The reporter's last lines travel apart from the exit call: give them a moment to arrive.
      const until = Date.now() + 2000;
      const settle = () => (counted || Date.now() > until ? end(Number(code) || 0, `suite exited with code ${code}`) : setTimeout(settle, 50));
      settle();
    });
    page.on('pageerror', (err) => VERBOSE && console.log(`[page error] ${err.message}`));
    page.on('crash', () => end(1, 'the workbench page crashed'));
    server.onExit((how) => end(1, `code-server exited (${how}) while the suite ran`));
    const url = workbenchUrl(server, {
      folder: copyWorkspace(sandbox, WORKSPACE),
      // The workbench only runs extensionTestsPath in extension-development mode; with a VSIX
      // that mode is entered with an empty stub extension, so the installed one is what runs.
      extensionDevelopmentPath: VSIX ? stubExtension(sandbox) : EXTENSION_DIR,
      extensionTestsPath: TESTS,
    });
    say(VSIX ? `testing installed ${path.basename(VSIX)}` : `testing development folder ${EXTENSION_DIR}`);
    if (VERBOSE) say(`opening ${url}`);
    await page.goto(url);
  } catch (err) {
    clearTimeout(deadline);
    await end(1, `harness error: ${err.stack ?? err}`);
  }
}

main().catch((err) => {
  console.error(`[e2e] ${err.stack ?? err}`);
  finish(0, 1, 1);
});
