// Shared helpers of the in-editor suite. They only use VS Code's public API, and every wait
// polls with a deadline instead of sleeping a fixed time.
import * as assert from 'assert';
import * as cp from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'concurrency-coach.python-concurrency-coach';
export const SOURCE = 'concurrency-coach';
/** Generous: the first file also pays for activation, server start and grammar loading. */
export const DEADLINE_MS = 20_000;

/** test/e2e/: the nearest folder above the compiled suite (out/test/e2e/suite) that has it. */
export const E2E_DIR = ((): string | undefined => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'e2e');
    if (fs.existsSync(path.join(candidate, 'cases.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
})() as string;

export interface Cases {
  /** `severity` is the rule's default when it is not a warning. */
  diagnostics: Array<{ file: string; code: string; range: string; mentions: string[]; severity?: 'error' | 'warning' | 'info' }>;
  fixes: Array<{ file: string; code: string; title: string; after: string }>;
}

/** Expectations shared with the Neovim and UI tests: test/e2e/cases.json. */
export function cases(): Cases {
  assert.ok(E2E_DIR, `cases.json not found near ${__dirname}`);
  return JSON.parse(fs.readFileSync(path.join(E2E_DIR, 'cases.json'), 'utf8')) as Cases;
}

/** The exact text a file has once its fix is applied: test/e2e/fixed/NAME. */
export function fixedText(name: string): string {
  return fs.readFileSync(path.join(E2E_DIR, 'fixed', name), 'utf8');
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  return ext;
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open (the harness opens test/e2e/workspace)');
  return folder.uri.fsPath;
}

export function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), name));
}

/** Polls `probe` until it returns something other than undefined/false, or fails at the deadline. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = DEADLINE_MS,
  describeLast: () => unknown = () => undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 20;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const last = describeLast();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last === undefined ? '' : `; last seen: ${JSON.stringify(last)}`}`);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 200);
  }
}

export async function open(name: string): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  assert.strictEqual(doc.languageId, 'python', `${name} did not open as Python`);
  return { doc, editor };
}

/** Our diagnostics for a document, in document order. */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === SOURCE)
    .sort((a, b) => a.range.start.compareTo(b.range.start) || codeOf(a).localeCompare(codeOf(b)));
}

/** Waits until exactly `count` of our diagnostics (only those with `code`, when given) are shown. */
export function waitForDiagnostics(uri: vscode.Uri, count: number, code?: string) {
  const pick = () => ours(uri).filter((d) => code === undefined || codeOf(d) === code);
  const what = `${count} ${code ?? ''} diagnostic(s) on ${path.basename(uri.fsPath)}`.replace(/ +/g, ' ');
  return waitFor(what, () => {
    const list = pick();
    return list.length === count && list;
  }, DEADLINE_MS, () => ours(uri).map(brief));
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  if (c === undefined) return '';
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** `line:col-line:col`, 0-based, UTF-16 code units: the positions VS Code and LSP use. */
export function fmtRange(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

const SEVERITY = ['error', 'warning', 'info', 'hint'];
export function brief(d: vscode.Diagnostic) {
  return { code: codeOf(d), range: fmtRange(d.range), severity: SEVERITY[d.severity], message: d.message };
}

export interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  name: string;
  severity: string;
  message: string;
  fix?: { title?: string; safe?: boolean } | null;
}

/** Editors show an unsafe fix with ` (unsafe)` after the title the CLI reports. */
export function editorTitle(title: string, cliFix?: { safe?: boolean } | null): string {
  return cliFix?.safe === false ? `${title} (unsafe)` : title;
}

/** Runs the bundled CLI of the extension under test (`dist/cli.js check FILE --format json`). */
export function cliCheck(file: string): CliDiagnostic[] {
  const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
  // process.execPath is Node under code-server and Electron in desktop VS Code.
  const r = cp.spawnSync(process.execPath, [cli, 'check', file, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    timeout: 20_000,
  });
  if (r.error) throw r.error;
  try {
    return JSON.parse(r.stdout) as CliDiagnostic[];
  } catch {
    throw new Error(`${cli} check ${file} exited ${r.status} without JSON:\n${r.stdout}\n${r.stderr}`);
  }
}

/** The CLI counts columns in code points (1-based); convert to VS Code's 0-based UTF-16 range. */
export function cliRange(doc: vscode.TextDocument, d: CliDiagnostic): vscode.Range {
  const toUtf16 = (line: number, column: number) => {
    const text = line - 1 < doc.lineCount ? doc.lineAt(line - 1).text : '';
    return new vscode.Position(line - 1, [...text].slice(0, column - 1).join('').length);
  };
  return new vscode.Range(toUtf16(d.line, d.column), toUtf16(d.endLine, d.endColumn));
}

export function briefCli(doc: vscode.TextDocument, d: CliDiagnostic) {
  const severity = d.severity === 'information' ? 'info' : d.severity;
  return { code: d.code, range: fmtRange(cliRange(doc, d)), severity, message: d.message };
}

/** Quick fixes offered for a range, with their edits resolved. */
export async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
    100,
  );
  return (actions ?? []).filter((a): a is vscode.CodeAction => 'kind' in a || 'edit' in a || 'diagnostics' in a);
}

export async function applyAction(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit || action.command, `code action "${action.title}" has neither an edit nor a command`);
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applying "${action.title}" was refused`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n---\n');
}

/** Throws away unsaved changes so the next test sees the file as it is on disk. */
export async function revert(doc: vscode.TextDocument): Promise<void> {
  if (!doc.isDirty) return;
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await waitFor(`${path.basename(doc.uri.fsPath)} to be reverted`, () => !doc.isDirty);
}
