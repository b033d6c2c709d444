// Starts an isolated code-server and a headless Debian chromium on it; shared by
// test/e2e/run.mjs (the mocha suite inside the extension host) and test/ui/run.mjs
// (Playwright against the visible workbench). Recipe: shared/design/E2E.md.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { paths } from '../../scripts/ensure-e2e.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A copy of the test workspace inside the sandbox, so nothing the editor does (a save, a
 * setting it writes) can change the repository's files.
 */
export function copyWorkspace(sandbox, src) {
  const dest = path.join(sandbox.root, path.basename(src));
  fs.cpSync(src, dest, { recursive: true });
  return dest;
}

/** Temp folders for one run; code-server writes nothing outside them. */
export function makeSandbox(prefix = 'pcc-e2e-') {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    xdgConfig: path.join(root, 'xdg-config'),
    xdgData: path.join(root, 'xdg-data'),
    xdgCache: path.join(root, 'xdg-cache'),
    xdgState: path.join(root, 'xdg-state'),
    browserProfile: path.join(root, 'chromium-profile'),
    tmp: path.join(root, 'tmp'),
    serverLog: path.join(root, 'code-server.log'),
  };
  for (const [k, d] of Object.entries(dirs)) if (!['root', 'serverLog'].includes(k)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  return dirs;
}

function serverEnv(sandbox) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  return {
    ...env,
    PATH: `${paths.node24BinDir}${path.delimiter}${env.PATH ?? ''}`,
    XDG_CONFIG_HOME: sandbox.xdgConfig,
    XDG_DATA_HOME: sandbox.xdgData,
    XDG_CACHE_HOME: sandbox.xdgCache,
    XDG_STATE_HOME: sandbox.xdgState,
    // No extension gallery: nothing to query (the default is open-vsx.org, unreachable here).
    EXTENSIONS_GALLERY: '{}',
  };
}

function isolationFlags(sandbox) {
  return ['--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensions];
}

/** `code-server --install-extension file.vsix` into the sandbox's extensions folder. */
export function installVsix(sandbox, vsix, log = console.log) {
  const abs = path.resolve(vsix);
  if (!fs.existsSync(abs)) throw new Error(`VSIX not found: ${abs}`);
  log(`installing ${abs} into ${sandbox.extensions}`);
  const r = spawnSync(paths.node24, [paths.codeServerEntry, ...isolationFlags(sandbox), '--force', '--install-extension', abs], {
    env: serverEnv(sandbox),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`--install-extension failed (${r.status ?? r.error?.message}):\n${r.stdout}\n${r.stderr}`);
  const list = spawnSync(paths.node24, [paths.codeServerEntry, ...isolationFlags(sandbox), '--list-extensions', '--show-versions'], {
    env: serverEnv(sandbox),
    encoding: 'utf8',
  });
  log(`installed extensions: ${list.stdout.trim().split('\n').join(', ')}`);
}

/**
 * Starts code-server in its own session (detached = setsid), so stop() can end the whole
 * process group; killing only the main process leaves its children behind.
 */
export async function startCodeServer(sandbox, { smokeTestDriver = true, timeoutMs = 60_000, log = console.log } = {}) {
  const port = await freePort();
  const args = [
    paths.codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...isolationFlags(sandbox),
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const out = fs.openSync(sandbox.serverLog, 'a');
  const child = spawn(paths.node24, args, { detached: true, stdio: ['ignore', out, out], env: serverEnv(sandbox) });
  fs.closeSync(out);
  let exited = null;
  let stopping = false;
  const exitListeners = [];
  child.on('exit', (code, signal) => {
    exited = code ?? signal;
    if (!stopping) for (const cb of exitListeners) cb(exited);
  });
  const started = Date.now();

  const stop = async () => {
    stopping = true;
    if (child.pid === undefined) return;
    const alive = () => {
      try {
        process.kill(-child.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (!alive()) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive()) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
  };
  // Last resort if the harness dies without its own cleanup.
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  process.once('exit', killGroup);

  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before it was healthy:\n${tail(sandbox.serverLog)}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {}
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`code-server was not healthy after ${timeoutMs} ms:\n${tail(sandbox.serverLog)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`code-server healthy on ${base} after ${Date.now() - started} ms (pid ${child.pid}, log ${sandbox.serverLog})`);
  /** Called if code-server exits before stop(). */
  const onExit = (cb) => exitListeners.push(cb);
  return { port, base, pid: child.pid, stop, onExit };
}

/**
 * The workbench URL. With a payload the web workbench loads extensionDevelopmentPath as a
 * development extension and runs extensionTestsPath in the extension host.
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${path.resolve(p)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  const q = new URLSearchParams();
  if (folder) q.set('folder', path.resolve(folder));
  q.set('payload', JSON.stringify(payload));
  return `${server.base}/?${q.toString()}`;
}

/** Headless Debian chromium through playwright-core, with a fresh profile in the sandbox. */
export async function launchBrowser(sandbox, { viewport = { width: 1440, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(paths.chromium)) throw new Error(`${paths.chromium} is missing: run node scripts/ensure-e2e.mjs`);
  const context = await chromium.launchPersistentContext(sandbox.browserProfile, {
    executablePath: paths.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    // Chromium's own caches (dconf, fontconfig) stay in the sandbox too.
    env: {
      ...process.env,
      XDG_CONFIG_HOME: sandbox.xdgConfig,
      XDG_CACHE_HOME: sandbox.xdgCache,
      XDG_DATA_HOME: sandbox.xdgData,
      TMPDIR: sandbox.tmp,
    },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

export function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

/**
 * What the extension host logged at error level (e.g. an activation that threw) and the tail
 * of each extension output channel's log: printed by the harnesses when something failed.
 */
export function extensionHostReport(sandbox, { lines = 30 } = {}) {
  const logsRoot = path.join(sandbox.userData, 'logs');
  const out = [];
  const walk = (dir) => {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {}
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'remoteexthost.log') {
        const text = fs.readFileSync(p, 'utf8').split('\n');
        const errs = [];
        text.forEach((l, i) => {
          if (/\[error\]/.test(l)) errs.push(...text.slice(i, i + 6).filter((x, j) => j === 0 || !/^\d{4}-\d\d-\d\d /.test(x)));
        });
        if (errs.length) out.push(`--- ${path.relative(sandbox.root, p)} (errors)`, ...errs.slice(0, lines));
      } else if (/concurrency|coach/i.test(p) && e.name.endsWith('.log')) {
        out.push(`--- ${path.relative(sandbox.root, p)} (tail)`, tail(p, lines));
      }
    }
  };
  walk(logsRoot);
  return out.join('\n');
}

export function removeSandbox(sandbox) {
  if (process.env.PCC_E2E_KEEP) {
    console.log(`kept ${sandbox.root}`);
    return;
  }
  fs.rmSync(sandbox.root, { recursive: true, force: true, maxRetries: 3 });
}
