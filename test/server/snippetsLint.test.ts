// Every pattern, as the Insert Pattern command writes it, is clean under all of our own rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandedPatterns } from './snippetExpand';
import { analyze, formatFinding } from './helpers';

for (const { pattern, text } of expandedPatterns()) {
  test(`pattern ${pattern.prefix} produces no diagnostics from our rules`, async () => {
    const findings = await analyze(text);
    assert.deepEqual(findings.map(formatFinding), []);
  });
}
