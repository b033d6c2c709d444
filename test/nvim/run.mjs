#!/usr/bin/env node
// `npm run test:nvim`: Neovim 0.7 (Debian) as a second, independent LSP client of
// `node dist/cli.js lsp --stdio`. For each case in test/e2e/cases.json a headless nvim runs
// test/nvim/lsp.lua (diagnostics, a hover, the quick fix applied with 'utf-16') and this script
// asserts on what it saw: the exact ranges (as the server sent them, in UTF-16, and as Neovim
// placed them, in bytes), agreement with `cli.js check --format json`, the hover, and the
// exact text after the fix.
//
// Environment: PCC_NVIM_CLI (default dist/cli.js), PCC_NVIM_TIMEOUT (ms per wait, default 10000),
// PCC_NVIM_VERBOSE=1 (print nvim's JSON).
// Ends with a plain `N passed, N failed` line.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureE2E, paths } from '../../scripts/ensure-e2e.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const E2E = path.join(ROOT, 'test', 'e2e');
const WORKSPACE = path.join(E2E, 'workspace');
const CLI = path.resolve(process.env.PCC_NVIM_CLI || path.join(ROOT, 'dist', 'cli.js'));
const TIMEOUT = Number(process.env.PCC_NVIM_TIMEOUT || 10000);
const SOURCE = 'concurrency-coach';

const cases = JSON.parse(fs.readFileSync(path.join(E2E, 'cases.json'), 'utf8'));
let passed = 0;
let failed = 0;

function check(name, fn) {
  try {
    fn();
    passed++;
    console.log(`ok ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}\n  ${String(err.message).split('\n').join('\n  ')}`);
  }
}

const cliCache = new Map();
function cliCheck(file) {
  if (!cliCache.has(file)) cliCache.set(file, cliCheckUncached(file));
  return cliCache.get(file);
}

function cliCheckUncached(file) {
  const r = spawnSync(process.execPath, [CLI, 'check', file, '--format', 'json'], { encoding: 'utf8', timeout: 30_000 });
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`cli.js check ${file} exited ${r.status} without JSON:\n${r.stdout}\n${r.stderr}`);
  }
}

// Column conversions for one line of text: code points (CLI, 1-based) to UTF-16 (LSP) and bytes (Neovim).
const cpToUtf16 = (line, col) => [...line].slice(0, col - 1).join('').length;
const cpToBytes = (line, col) => Buffer.byteLength([...line].slice(0, col - 1).join(''), 'utf8');
const fmt = (r) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

// Neovim's own files (lsp.log, log, shada, swap) go to a temp folder, not the home folder.
function nvimEnv(dir) {
  return {
    ...process.env,
    XDG_STATE_HOME: dir,
    XDG_DATA_HOME: dir,
    XDG_CACHE_HOME: dir,
    XDG_CONFIG_HOME: dir,
    NVIM_LOG_FILE: path.join(dir, 'nvim.log'),
  };
}

function runNvim(file, code, fixTitle) {
  const result = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-nvim-')), 'result.json');
  const started = Date.now();
  const r = spawnSync(paths.nvim, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(HERE, 'lsp.lua')}`], {
    encoding: 'utf8',
    timeout: TIMEOUT * 6,
    env: {
      ...nvimEnv(path.dirname(result)),
      PCC_NVIM_SERVER: JSON.stringify([process.execPath, CLI, 'lsp', '--stdio']),
      PCC_NVIM_FILE: path.join(WORKSPACE, file),
      PCC_NVIM_ROOT: WORKSPACE,
      PCC_NVIM_CODE: code,
      PCC_NVIM_FIX: fixTitle ?? '',
      PCC_NVIM_RESULT: result,
      PCC_NVIM_TIMEOUT: String(TIMEOUT),
    },
  });
  const ms = Date.now() - started;
  let seen = null;
  try {
    seen = JSON.parse(fs.readFileSync(result, 'utf8'));
  } catch {}
  let lspLog = '';
  try {
    lspLog = fs.readFileSync(path.join(path.dirname(result), 'nvim', 'lsp.log'), 'utf8').trim().split('\n').slice(-15).join('\n');
  } catch {}
  fs.rmSync(path.dirname(result), { recursive: true, force: true });
  if (process.env.PCC_NVIM_VERBOSE) console.log(JSON.stringify(seen, null, 2));
  if (!seen) throw new Error(`nvim exited ${r.status ?? r.signal} without a result after ${ms} ms\n${r.stdout}\n${r.stderr}\n${lspLog}`);
  if (seen.error) throw new Error(`nvim: ${seen.error} (steps done: ${seen.steps.join(', ')})\nnvim lsp.log:\n${lspLog}`);
  return { seen, ms };
}

function main() {
  const t0 = Date.now();
  const { missingPackages } = ensureE2E({ packages: ['neovim'], codeServer: false });
  if (missingPackages.length) throw new Error(`missing Debian packages: ${missingPackages.join(', ')}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-nvim-'));
  const v = spawnSync(paths.nvim, ['--version'], { encoding: 'utf8', env: nvimEnv(tmp) }).stdout.split('\n')[0];
  fs.rmSync(tmp, { recursive: true, force: true });
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  console.log(`[nvim] ${v}; server: node ${path.relative(ROOT, CLI)} lsp --stdio`);

  const fixes = new Map(cases.fixes.map((f) => [f.file, f]));
  for (const c of cases.diagnostics) {
    const fix = fixes.get(c.file);
    const file = path.join(WORKSPACE, c.file);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let run;
    const cliFix = fix && cliCheck(file).find((d) => d.code === fix.code)?.fix;
    // Editors show an unsafe fix with ` (unsafe)` after the title the CLI reports.
    const title = fix && (cliFix?.safe === false ? `${fix.title} (unsafe)` : fix.title);
    check(`${c.file}: nvim runs the LSP session`, () => {
      run = runNvim(c.file, c.code, title);
      console.log(`  (${run.ms} ms)`);
    });
    if (!run) {
      failed += fix ? 3 : 2; // the checks below could not run
      continue;
    }
    const { seen } = run;
    check(`${c.file}: ${c.code} at ${c.range}, as the CLI reports it`, () => {
      const cli = cliCheck(file);
      const lsp = seen.lsp_diagnostics.map((d) => ({
        code: String(d.code),
        range: fmt(d.range),
        source: d.source,
        message: d.message,
      }));
      const mine = lsp.filter((d) => d.code === c.code);
      assert.deepEqual(
        mine.map(({ code, range }) => ({ code, range })),
        [{ code: c.code, range: c.range }],
      );
      for (const m of c.mentions) assert.ok(mine[0].message.includes(m), `message ${JSON.stringify(mine[0].message)} mentions ${m}`);
      const fromCli = cli.map((d) => ({
        code: d.code,
        range: `${d.line - 1}:${cpToUtf16(lines[d.line - 1], d.column)}-${d.endLine - 1}:${cpToUtf16(lines[d.endLine - 1], d.endColumn)}`,
        source: SOURCE,
        message: d.message,
      }));
      assert.deepEqual(lsp, fromCli, 'LSP (UTF-16) and CLI (code points) agree');
      // Neovim converted the UTF-16 positions to byte columns itself; check it landed on the same text.
      const inNvim = seen.diagnostics.map((d) => `${d.lnum}:${d.col}-${d.end_lnum}:${d.end_col}`);
      const bytes = cli.map(
        (d) => `${d.line - 1}:${cpToBytes(lines[d.line - 1], d.column)}-${d.endLine - 1}:${cpToBytes(lines[d.endLine - 1], d.endColumn)}`,
      );
      assert.deepEqual(inNvim, bytes, 'Neovim placed the diagnostics on the same bytes');
    });
    check(`${c.file}: hover explains ${c.code}`, () => {
      assert.ok(seen.hover, `no hover (${seen.hover_error ?? 'empty result'})`);
      const name = cliCheck(file).find((d) => d.code === c.code)?.name ?? c.code;
      assert.ok(seen.hover.includes(c.code) || seen.hover.includes(name), `hover mentions ${c.code} or ${name}: ${seen.hover.slice(0, 200)}`);
    });
    if (fix) {
      check(`${c.file}: quick fix "${title}" gives the exact text`, () => {
        assert.equal(cliFix?.title, fix.title, 'the CLI names the fix as expected');
        assert.ok(seen.action_titles.includes(title), `offered: ${JSON.stringify(seen.action_titles)}`);
        assert.equal(seen.text_after_fix, fs.readFileSync(path.join(E2E, 'fixed', fix.after), 'utf8'));
        assert.ok(seen.cleared_after_fix, `${c.code} still reported after the fix: ${JSON.stringify(seen.diagnostics_after_fix)}`);
      });
    }
  }
  console.log(`[nvim] finished in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

try {
  main();
} catch (err) {
  failed++;
  console.log(`FAIL nvim harness: ${err.message}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
