// Analysis of whole texts, shared by the language server, the CLI and the tests.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Parser } from 'web-tree-sitter';
import { mirrorOf, type Tree } from './trees';
import { analyzeTree, type AnalysisResult } from './analysis';
import { parserText } from './documents';
import type { RuleSelection } from './config/selection';
import type { AnalysisOptions, Finding, Rule } from './rules/rule';
import { applyEdits } from './text/applyEdits';

export interface EngineConfig {
  selection: RuleSelection;
  options: AnalysisOptions;
}

/** Parses and analyses a text once (nothing is kept for a next analysis), freeing the tree afterwards. */
export function analyzeText(parser: Parser, text: string, config: EngineConfig, rules?: readonly Rule[]): AnalysisResult {
  const tree: Tree | null = parser.parse(parserText(text));
  if (!tree) return { findings: [], failures: [] };
  try {
    return analyzeTree(text, mirrorOf(tree, text), config.selection, config.options, rules, true, false);
  } finally {
    tree.delete();
  }
}

/**
 * Applies fixes one at a time, re-analysing after each, until none is left (ruff's way: no two
 * fixes ever add the same import). Only safe fixes unless `unsafe` is set.
 */
export function fixText(
  analyze: (text: string) => Finding[],
  text: string,
  unsafe = false,
  limit = 200,
): { text: string; applied: Finding[] } {
  const steps = fixSteps(analyze, text, unsafe, limit);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** fixText's loop, pausing before each analysis after the first, so that a caller can yield to the event loop or stop. */
export function* fixSteps(
  analyze: (text: string) => Finding[],
  text: string,
  unsafe = false,
  limit = 200,
): Generator<void, { text: string; applied: Finding[] }> {
  const applied: Finding[] = [];
  const tried = new Set<string>();
  let current = text;
  for (let i = 0; i < limit; i++) {
    if (i > 0) yield; // one analysis per step
    const next = analyze(current).find((f) => f.fix && (unsafe || f.fix.safe) && !tried.has(key(f)));
    if (!next) break;
    tried.add(key(next));
    let result: string;
    try {
      result = applyEdits(current, next.fix!.edits);
    } catch {
      continue; // a fix with overlapping edits is skipped, not fatal
    }
    if (result === current) continue;
    current = result;
    applied.push(next);
    tried.clear();
  }
  return { text: current, applied };
}

function key(f: Finding): string {
  return `${f.code}:${f.range.start.line}:${f.range.start.character}`;
}

/** Folder holding `docs/rules/`: the extension root, next to dist/ or out/server/. */
export function docsRoot(): string {
  const here = __dirname;
  return path.basename(here) === 'dist' ? path.dirname(here) : path.resolve(here, '..', '..', '..');
}

/** The rule's documentation page as a file URI (shipped in the extension and the repo). */
export function ruleDocsUri(code: string): string {
  return pathToFileURL(path.join(docsRoot(), 'docs', 'rules', `${code}.md`)).toString();
}
