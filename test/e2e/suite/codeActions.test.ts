import * as assert from 'assert';
import * as fs from 'fs';
import {
  applyAction,
  brief,
  cases,
  cliCheck,
  codeOf,
  editorTitle,
  fixedText,
  open,
  ours,
  quickFixes,
  revert,
  waitFor,
  waitForDiagnostics,
} from './helpers';

const FIXES = cases().fixes;

suite('quick fixes', () => {
  for (const f of FIXES) {
    test(`${f.file}: "${f.title}" gives the exact text`, async () => {
      const { doc } = await open(f.file);
      const original = fs.readFileSync(doc.uri.fsPath, 'utf8');
      try {
        const [d] = await waitForDiagnostics(doc.uri, 1, f.code);
        assert.strictEqual(codeOf(d), f.code);
        const cliFix = cliCheck(doc.uri.fsPath).find((x) => x.code === f.code)?.fix;
        assert.ok(cliFix, `the CLI reports a fix for ${f.code}`);
        assert.strictEqual(cliFix.title, f.title, 'the CLI names the fix as expected');
        const title = editorTitle(f.title, cliFix);
        const actions = await quickFixes(doc.uri, d.range);
        const fix = actions.find((a) => a.title === title);
        assert.ok(fix, `"${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
        assert.strictEqual(!!fix.isPreferred, cliFix.safe !== false, 'only safe fixes are preferred');
        await applyAction(fix);
        await waitFor('the edit to land', () => doc.getText() !== original);
        assert.strictEqual(doc.getText(), fixedText(f.after));
        await waitFor(`${f.code} to go away after the fix`, () => !ours(doc.uri).some((x) => codeOf(x) === f.code), undefined, () =>
          ours(doc.uri).map(brief),
        );
      } finally {
        await revert(doc);
      }
      assert.strictEqual(doc.getText(), original);
    });
  }
});
