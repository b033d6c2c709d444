// Shared test helpers: a parser, analysis with chosen rules, and the fixture format.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { createParser } from '../../server/src/trees';
import { analyzeText, fixText, type EngineConfig } from '../../server/src/engine';
import { resolveSelection } from '../../server/src/config/selection';
import { DEFAULT_PYTHON } from '../../server/src/pythonVersion';
import type { Finding, Rule } from '../../server/src/rules/rule';
import { RULES } from '../../server/src/rules/index';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

let parser: Promise<Parser> | undefined;
export function getParser(): Promise<Parser> {
  parser ??= createParser();
  return parser;
}

export function configFor(codes?: string[], notebook = false): EngineConfig {
  return { selection: resolveSelection(codes, undefined, undefined, String).selection, options: { python: DEFAULT_PYTHON, notebook } };
}

export async function analyze(text: string, codes?: string[]): Promise<Finding[]> {
  const p = await getParser();
  const result = analyzeText(p, text, configFor(codes));
  if (result.failures.length) throw result.failures[0].error;
  return result.findings;
}

/** `line:col-line:col CODE message` with 1-based lines and 1-based UTF-16 columns. */
export function formatFinding(f: Finding): string {
  const r = f.range;
  const head = `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${f.code} ${f.message}`;
  const fix = f.fix ? `\n    fix (${f.fix.safe ? 'safe' : 'unsafe'}): ${f.fix.title}` : '';
  const related = (f.related ?? []).map((x) => `\n    related ${x.range.start.line + 1}:${x.range.start.character + 1}: ${x.message}`).join('');
  return head + fix + related;
}

export const AFTER_FIXES = '----- after fixes -----';

/** The expected-file text for a fixture: findings, then the source after applying every fix. */
export async function renderExpected(rule: Rule, source: string): Promise<{ rendered: string; fixed: string | undefined }> {
  const p = await getParser();
  const run = (text: string) => analyzeText(p, text, configFor([rule.code]), [rule]).findings;
  const findings = run(source);
  const lines = findings.map(formatFinding);
  if (!rule.fixable) return { rendered: lines.join('\n') + '\n', fixed: undefined };
  const fixed = fixText(run, source, true).text;
  return { rendered: `${lines.join('\n')}\n${AFTER_FIXES}\n${fixed}`, fixed };
}

export function readFixture(code: string): { source: string; expected: string | undefined } {
  const source = fs.readFileSync(path.join(FIXTURES, `${code}.py`), 'utf8');
  const expectedPath = path.join(FIXTURES, `${code}.expected`);
  return { source, expected: fs.existsSync(expectedPath) ? fs.readFileSync(expectedPath, 'utf8') : undefined };
}

export function rulesUnderTest(): readonly Rule[] {
  return RULES;
}
