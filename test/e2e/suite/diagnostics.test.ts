import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  brief,
  cases,
  briefCli,
  cliCheck,
  codeOf,
  fmtRange,
  open,
  ours,
  revert,
  SOURCE,
  waitFor,
  waitForDiagnostics,
  workspaceDir,
} from './helpers';

// One case per rule, plus a line whose emoji is two UTF-16 code units but one code point.
const CASES = cases().diagnostics;

suite('diagnostics', () => {
  for (const c of CASES) {
    test(`${c.file}: ${c.code} at ${c.range}`, async () => {
      const { doc } = await open(c.file);
      const [d] = await waitForDiagnostics(doc.uri, 1, c.code);
      assert.deepStrictEqual({ code: codeOf(d), range: fmtRange(d.range) }, { code: c.code, range: c.range });
      assert.strictEqual(d.source, SOURCE);
      const severity = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information };
      assert.strictEqual(d.severity, severity[c.severity ?? 'warning']);
      for (const m of c.mentions) assert.ok(d.message.includes(m), `message ${JSON.stringify(d.message)} mentions ${m}`);
      assert.ok(!d.message.includes('\n'), 'message is one line');
      const target = typeof d.code === 'object' ? d.code.target : undefined;
      assert.ok(target, 'diagnostic code links to its documentation');
      assert.ok(target.toString().split('#')[0].endsWith(`docs/rules/${c.code}.md`), `docs link ${target.toString()}`);
    });
  }

  test('VS Code shows exactly what `cli.js check --format json` reports, for every workspace file', async () => {
    const files = fs.readdirSync(workspaceDir()).filter((f) => f.endsWith('.py')).sort();
    assert.ok(files.length >= 5, `workspace has Python files (${files})`);
    for (const file of files) {
      const { doc } = await open(file);
      const cli = cliCheck(doc.uri.fsPath);
      for (const d of cli) assert.strictEqual(path.resolve(d.file), doc.uri.fsPath, 'CLI reports the checked file');
      const expected = cli.map((d) => briefCli(doc, d));
      const actual = (await waitForDiagnostics(doc.uri, cli.length)).map(brief);
      assert.deepStrictEqual(actual, expected, `${file}: editor and CLI disagree`);
    }
  });

  test('diagnostics follow edits, and clear when the edit is undone', async () => {
    const { doc, editor } = await open('clean.py');
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    assert.ok(await editor.edit((e) => e.insert(end, '\n\n\nasync def late():\n    time.sleep(2)\n')));
    const line = doc.lineCount - 2;
    const [d] = await waitForDiagnostics(doc.uri, 1, 'PCC101');
    assert.deepStrictEqual({ code: codeOf(d), range: fmtRange(d.range) }, { code: 'PCC101', range: `${line}:4-${line}:17` });
    assert.ok(d.message.includes('`late`'), d.message);
    await revert(doc);
    await waitFor('diagnostics to clear after revert', () => ours(doc.uri).length === 0, undefined, () => ours(doc.uri).map(brief));
  });
});
