// What a rule is, and what it reports.
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import type { ImportBinding } from '../semantic/imports';
import type { PythonTarget } from '../pythonVersion';

export type Severity = 'error' | 'warning' | 'info';

export interface Fix {
  /** What the edit does ("Replace with `await asyncio.sleep(...)`"). */
  title: string;
  /** Safe fixes keep behaviour; only they are preferred and applied by `check --fix` and fix-all. */
  safe: boolean;
  edits: TextEdit[];
}

export interface Related {
  range: Range;
  message: string;
}

export interface Finding {
  code: string;
  name: string;
  severity: Severity;
  range: Range;
  /** One line: what is wrong. */
  message: string;
  fix?: Fix;
  related?: Related[];
}

export interface AnalysisOptions {
  python: PythonTarget;
  /** A notebook cell: top-level `await` is legal. */
  notebook: boolean;
  /** Imports made in the notebook's other cells, which share the cell's namespace. */
  sharedImports?: readonly ImportBinding[];
}

export interface RuleContext {
  readonly module: ModuleIndex;
  readonly options: AnalysisOptions;
  /** `severity` grades this finding differently from the rule's default; a user-set severity still wins. */
  report(at: Node | Range, message: string, fix?: Fix, related?: Related[], severity?: Severity): void;
}

export interface Rule {
  code: string;
  name: string;
  severity: Severity;
  /** One sentence for rule lists. */
  summary: string;
  /** Markdown with the headings: What it does, Why is this bad?, Example, Use instead, Fix safety, References. */
  docs: string;
  fixable: boolean;
  /**
   * Words (whole identifiers or keywords) the source text must contain for the rule to report
   * anything: each entry must occur, and a list entry is met by any of its words
   * (`['time', 'async']`: both; `[['threading', 'multiprocessing']]`: either). Analyses skip the
   * rule otherwise, and the CLI skips parsing a file no rule needs. The words must occur in code:
   * the CLI also skips a file that parses cleanly and has them only in comments and plain strings.
   * Leave it out when unsure.
   */
  requires?: readonly (string | readonly string[])[];
  /**
   * True when each finding lies in the statement (top-level, or in a top-level class body) whose
   * nodes the rule's own `module.of`/`allCalls`/`calls` listed, and depends only on that statement
   * and the module's outline (incremental/outline.ts). Its findings are then kept per statement
   * across edits, and after an edit it runs over the new statements only (a focused index).
   */
  local?: boolean;
  /** For a local rule: what else of the whole module it reads, as text; its kept findings hold while this reads the same. */
  localKey?(module: ModuleIndex): string;
  check(ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return { ...rule, docs: dedent(rule.docs) };
}

function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n') + '\n';
}
