// Each rule against its fixture: exact findings and exact text after fixes (UPDATE_EXPECTED=1 rewrites).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, getParser, readFixture, renderExpected, rulesUnderTest, analyze } from './helpers';
import { parserText } from '../../server/src/documents';

/** Lines that a fixture marks with `# expect: CODE`. */
function expectedLines(source: string, code: string): number[] {
  return source.split(/\r\n|\r|\n/).flatMap((line, i) => (new RegExp(`# expect: [^#]*\\b${code}\\b`).test(line) ? [i] : []));
}

for (const rule of rulesUnderTest()) {
  test(`${rule.code} ${rule.name} matches its fixture`, async () => {
    const { source, expected } = readFixture(rule.code);
    const { rendered, fixed } = await renderExpected(rule, source);
    if (process.env.UPDATE_EXPECTED) fs.writeFileSync(path.join(FIXTURES, `${rule.code}.expected`), rendered);
    else assert.equal(rendered, expected, `${rule.code}.expected is out of date (UPDATE_EXPECTED=1 rewrites it; read the diff)`);
    if (fixed !== undefined) {
      const tree = (await getParser()).parse(parserText(fixed))!;
      assert.equal(tree.rootNode.hasError, false, `${rule.code}: the fixed text must parse without errors`);
      tree.delete();
    }
  });

  test(`${rule.code} flags exactly the lines marked "# expect: ${rule.code}"`, async () => {
    const { source } = readFixture(rule.code);
    const findings = await analyze(source, [rule.code]);
    assert.deepEqual(findings.map((f) => f.range.start.line), expectedLines(source, rule.code));
  });
}
