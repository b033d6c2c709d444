#!/usr/bin/env node
// `npm run test:ui`: drives the visible VS Code workbench as a person does (code-server 4.139.1 =
// VS Code 1.139.1, headless Debian chromium, playwright-core): Quick Open the example file, wait
// for the squiggles, read the Problems panel, hover, open the quick-fix menu with Ctrl+., apply
// the fix and read the editor's text back. Screenshots go to test-results/ui/ (the evidence).
//
// Selectors are VS Code's internal DOM, pinned to this code-server version: keep this small.
// Environment: PCC_E2E_EXTENSION_DIR, PCC_E2E_VSIX, PCC_E2E_KEEP, PCC_E2E_TIMEOUT as in
// test/e2e/run.mjs; PCC_UI_STEP_TIMEOUT (ms per step, default 30000).
// Ends with a plain `N passed, N failed` line.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureE2E } from '../../scripts/ensure-e2e.mjs';
import {
  copyWorkspace,
  extensionHostReport,
  installVsix,
  launchBrowser,
  makeSandbox,
  removeSandbox,
  startCodeServer,
  workbenchUrl,
} from '../e2e/codeServer.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const E2E = path.join(ROOT, 'test', 'e2e');
const WORKSPACE = path.join(E2E, 'workspace');
const SHOTS = path.join(ROOT, 'test-results', 'ui');
const env = process.env;
const VSIX = env.PCC_E2E_VSIX ? path.resolve(env.PCC_E2E_VSIX) : null;
const EXTENSION_DIR = path.resolve(env.PCC_E2E_EXTENSION_DIR || ROOT);
const STEP_MS = Number(env.PCC_UI_STEP_TIMEOUT || 30_000);
const TIMEOUT_MS = Number(env.PCC_E2E_TIMEOUT || 180) * 1000;
const CASE = JSON.parse(fs.readFileSync(path.join(E2E, 'cases.json'), 'utf8')).ui;

const say = (msg) => console.log(`[ui] ${msg}`);
let passed = 0;
let failed = 0;
let broken = null; // once a step fails, the ones after it cannot run

async function step(name, page, fn) {
  if (broken) {
    failed++;
    console.log(`FAIL ${name}: not run, an earlier step failed (${broken})`);
    return;
  }
  const started = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    failed++;
    broken = name;
    console.log(`FAIL ${name}: ${String(err.message).split('\n').join('\n  ')}`);
    await shot(page, `failed-${name.replace(/\W+/g, '-')}`).catch(() => {});
  }
}

async function shot(page, name) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  say(`screenshot ${path.relative(ROOT, file)}`);
}

/** The editor's text: Monaco reuses .view-line nodes, so order them by their `top`. */
async function editorText(page) {
  const lines = await page.$$eval('.editor-group-container.active .monaco-editor .view-lines .view-line', (nodes) =>
    nodes.map((n) => ({ top: parseFloat(n.style.top) || 0, text: n.textContent ?? '' })),
  );
  return lines
    .sort((a, b) => a.top - b.top)
    .map((l) => l.text.replace(/\u00a0/g, ' '))
    .join('\n');
}

function cliCheck(file) {
  const cli = path.join(VSIX ? ROOT : EXTENSION_DIR, 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'check', file, '--format', 'json'], { encoding: 'utf8' });
  return JSON.parse(r.stdout);
}

async function main() {
  const t0 = Date.now();
  const { missingPackages } = ensureE2E();
  if (missingPackages.length) throw new Error(`missing Debian packages: ${missingPackages.join(', ')}`);
  if (!VSIX && !fs.existsSync(path.join(EXTENSION_DIR, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run npm run build');
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.rmSync(path.join(SHOTS, f));

  const sandbox = makeSandbox('pcc-ui-');
  let server = null;
  let browser = null;
  const deadline = setTimeout(async () => {
    console.log(`[ui] deadline of ${TIMEOUT_MS / 1000}s reached`);
    await browser?.context.close().catch(() => {});
    await server?.stop();
    removeSandbox(sandbox);
    console.log(`${passed} passed, ${failed + 1} failed`);
    process.exit(1);
  }, TIMEOUT_MS);
  try {
    if (VSIX) installVsix(sandbox, VSIX, say);
    server = await startCodeServer(sandbox, { log: say });
    browser = await launchBrowser(sandbox, { viewport: { width: 1280, height: 800 } });
    const { page } = browser;
    page.setDefaultTimeout(STEP_MS);
    await runSteps(page);
  } finally {
    clearTimeout(deadline);
    if (failed) {
      const report = extensionHostReport(sandbox);
      if (report) say(`extension host logs:\n${report}`);
    }
    await browser?.context.close().catch(() => {});
    await server?.stop();
    removeSandbox(sandbox);
    say(`finished in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }

  async function runSteps(page) {
    const file = path.join(WORKSPACE, CASE.file);
    const expected = cliCheck(file);
    const editor = page.locator('.editor-group-container.active .monaco-editor').first();

    await step('workbench loads the workspace', page, async () => {
      await page.goto(
        workbenchUrl(server, { folder: copyWorkspace(sandbox, WORKSPACE), extensionDevelopmentPath: VSIX ? undefined : EXTENSION_DIR }),
      );
      await page.locator('.monaco-workbench').waitFor();
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
    });

    await step(`Quick Open ${CASE.file}`, page, async () => {
      await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } }).catch(() => {});
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(CASE.file);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: CASE.file }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator(`.tab.active[aria-label*="${CASE.file}"]`).waitFor();
      await editor.locator('.view-line').first().waitFor();
    });

    await step('squiggles appear under the findings', page, async () => {
      await page.waitForFunction(
        (n) => document.querySelectorAll('.editor-group-container.active .monaco-editor .view-overlays [class*="squiggly-"]').length >= n,
        expected.length,
        { timeout: STEP_MS },
      );
      await shot(page, '01-squiggles');
    });

    await step('the Problems panel lists each finding', page, async () => {
      await page.keyboard.press('Control+Shift+M');
      await page.waitForFunction(
        (n) => [...document.querySelectorAll('.markers-panel .monaco-list-row')].filter((r) => /PCC\d{3}/.test(r.textContent ?? '')).length >= n,
        expected.length,
        { timeout: STEP_MS },
      );
      const texts = (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).filter((t) => /PCC\d{3}/.test(t));
      console.log(`  problems: ${JSON.stringify(texts.map((t) => t.replace(/\s+/g, ' ').trim()))}`);
      for (const code of CASE.problems) assert.ok(texts.some((t) => t.includes(code)), `Problems panel shows ${code}`);
      for (const d of expected) {
        assert.ok(texts.some((t) => t.includes(d.message)), `Problems panel shows "${d.message}"`);
        assert.ok(texts.some((t) => t.includes(`[Ln ${d.line}, Col ${d.column}]`)), `Problems panel shows [Ln ${d.line}, Col ${d.column}]`);
      }
      await shot(page, '02-problems');
    });

    const target = expected.find((d) => d.code === CASE.problems[0]);
    // Editors show an unsafe fix with ` (unsafe)` after the title the CLI reports.
    const fixTitle = target?.fix?.safe === false ? `${CASE.fix} (unsafe)` : CASE.fix;
    const targetPoint = async () => {
      // The center of the flagged call, found from the squiggle decoration on its line.
      const top = await editor.locator('.view-line').evaluateAll(
        (nodes, line) => nodes.map((n) => parseFloat(n.style.top) || 0).sort((a, b) => a - b)[line - 1],
        target.line,
      );
      const squiggles = editor.locator('.view-overlays [class*="squiggly-"]');
      const boxes = (await squiggles.evaluateAll((els) => els.map((e) => ({ top: parseFloat(e.parentElement?.style.top ?? '0') || 0 })))).map((b, i) => ({ ...b, i }));
      const hit = boxes.find((b) => Math.abs(b.top - top) < 2) ?? boxes[0];
      const box = await squiggles.nth(hit.i).boundingBox();
      assert.ok(box, 'squiggle is visible');
      return { x: box.x + Math.min(box.width / 2, 40), y: box.y + box.height / 2 };
    };

    await step(`hovering the ${target.code} squiggle shows the rule`, page, async () => {
      await page.keyboard.press('Escape');
      const p = await targetPoint();
      await page.mouse.move(p.x - 5, p.y);
      await page.mouse.move(p.x, p.y);
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: target.code }).first();
      await hover.waitFor({ state: 'visible' });
      const text = (await hover.innerText()).replace(/\s+/g, ' ');
      console.log(`  hover: ${JSON.stringify(text.slice(0, 200))}`);
      assert.ok(text.includes(target.message) || text.includes(target.code), 'hover shows the finding');
      await shot(page, '03-hover');
    });

    await step('Ctrl+. opens the quick-fix menu with the fix', page, async () => {
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
      const p = await targetPoint();
      await page.mouse.click(p.x, p.y);
      await page.keyboard.press('Control+Period');
      const menu = page.locator('.action-widget');
      await menu.locator('.monaco-list-row', { hasText: fixTitle }).first().waitFor();
      const items = (await menu.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      console.log(`  quick fixes: ${JSON.stringify(items)}`);
      assert.ok(items.includes(fixTitle), `menu has "${fixTitle}"`);
      await shot(page, '04-quick-fix-menu');
    });

    await step('applying the fix rewrites the code', page, async () => {
      const item = page.locator('.action-widget .monaco-list-row', { hasText: fixTitle }).first();
      await item.click();
      await item.waitFor({ state: 'hidden' });
      const want = fs.readFileSync(path.join(E2E, 'fixed', CASE.after), 'utf8'); // the last, empty line is a .view-line too
      const deadlineAt = Date.now() + STEP_MS;
      let text = '';
      while (Date.now() < deadlineAt && (text = await editorText(page)) !== want) await page.waitForTimeout(100);
      assert.equal(text, want);
      // The fixed finding leaves the Problems panel; the others stay.
      const others = CASE.problems.filter((c) => c !== target.code);
      await page.waitForFunction(
        ([gone, stay]) => {
          const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((r) => r.textContent ?? '');
          return !rows.some((t) => t.includes(gone)) && stay.every((c) => rows.some((t) => t.includes(c)));
        },
        [target.code, others],
      );
      await shot(page, '05-fixed');
    });
  }
}

main()
  .catch((err) => {
    failed++;
    console.log(`FAIL ui harness: ${err.stack ?? err}`);
  })
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
