// Runs the selected rules over a parsed module: catches failing rules, applies noqa and severity.
import type { Range } from 'vscode-languageserver-types';
import type { Node } from './trees';
import { ModuleIndex } from './semantic/module';
import { RULES } from './rules/index';
import type { AnalysisOptions, Finding, Rule, RuleContext } from './rules/rule';
import { isSuppressed, readSuppressions } from './rules/suppression';
import { presentWords, requiredWords, ruleMayReport } from './rules/requires';
import { rangeOf, comparePositions } from './text/positions';
import { wordsInModule } from './syntax/words';
import { unitsInOrder } from './syntax/node';
import { moduleOutline } from './incremental/outline';
import { keptFacts } from './incremental/keptFacts';
import { FindingCache, type Reuse } from './incremental/findingCache';
import { eol, indentUnit } from './fixes/edits';
import type { RuleSelection } from './config/selection';

export interface RuleFailure {
  code: string;
  error: unknown;
}

export interface AnalysisResult {
  findings: Finding[];
  failures: RuleFailure[];
}

function isNode(at: Node | Range): at is Node {
  return (at as Node).startPosition !== undefined;
}

/** Everything besides the outline that the local rules' findings read: options, which rules run, module-wide facts. */
function reuseKey(module: ModuleIndex, options: AnalysisOptions, shared: string, running: readonly Rule[]): string {
  const local = running.filter((r) => r.local).map((r) => (r.localKey ? `${r.code}=${r.localKey(module)}` : r.code)).join(',');
  return [options.python.version, options.python.freeThreaded, options.notebook, shared, local, eol(module), indentUnit(module)].join('|');
}

export function analyzeTree(
  text: string,
  root: Node,
  selection: RuleSelection,
  options: AnalysisOptions,
  rules: readonly Rule[] = RULES,
  /** Skip rules whose required words (`Rule.requires`) the text lacks; off only to test that it changes nothing. */
  gate = true,
  /** Keep findings and facts per statement for the document's next analysis: off for one-shot analyses, and to test that keeping changes nothing. */
  keep = true,
): AnalysisResult {
  const shared = options.sharedImports ?? [];
  const units = keep && root.source.text === text ? unitsInOrder(root) : undefined;
  const outline = units && moduleOutline(root, units);
  const sharedKey = shared.map((i) => `${i.local}=${i.qualified}`).join(',');
  const module = new ModuleIndex(text, root, shared, outline && keptFacts(root.source, outline.entries, sharedKey));
  // Names imported in other cells count as words of this text for the rules' required words.
  const words = shared.length ? `${text}\n${shared.map((i) => `${i.local} ${i.qualified.replace(/\./g, ' ')}`).join('\n')}` : text;
  const wanted = gate ? requiredWords(rules.filter((r) => r.requires)) ?? [] : undefined;
  const present = wanted && (shared.length ? presentWords(words, wanted) : wordsInModule(root, text, wanted));
  const running = rules.filter((rule) => selection.severity.has(rule.code) && !(present && !ruleMayReport(rule, present)));
  const cache = units && new FindingCache(root.source, units, selection, reuseKey(module, options, sharedKey, running), outline!);
  const reuse = cache?.reuse();
  const { local, others, failures } = runRules(module, selection, options, running, reuse);
  if (cache && failures.length) cache.forget();
  else if (cache && !cache.store(local, reuse) && reuse) {
    // A local rule reported outside the statements it was given (or a position cannot be kept): analyse it all.
    return analyzeTree(text, root, selection, options, rules, gate, false);
  }
  const findings = reuse ? others.concat(local, reuse.kept) : others.concat(local);
  const suppressions = readSuppressions(module.everyOf('comment'));
  const kept = findings.filter((f) => !isSuppressed(suppressions.get(f.range.start.line), f.code, f.name));
  kept.sort(compareFindings);
  return { findings: kept, failures };
}

function runRules(module: ModuleIndex, selection: RuleSelection, options: AnalysisOptions, running: readonly Rule[], reuse: Reuse | undefined) {
  const local: Finding[] = [];
  const others: Finding[] = [];
  const failures: RuleFailure[] = [];
  for (const rule of running) {
    const severity = selection.severity.get(rule.code)!;
    const into = rule.local ? local : others;
    module.focusOn(rule.local ? reuse?.dirty : undefined);
    const ctx: RuleContext = {
      module,
      options,
      report(at, message, fix, related, own) {
        const graded = own && severity === rule.severity ? own : severity;
        into.push({ code: rule.code, name: rule.name, severity: graded, range: isNode(at) ? rangeOf(at) : at, message, fix, related });
      },
    };
    try {
      rule.check(ctx);
    } catch (error) {
      failures.push({ code: rule.code, error });
    }
  }
  module.focusOn(undefined);
  return { local, others, failures };
}

/** Document order, then code; ties (one rule, one place) by end and message, so the order never depends on the run. */
function compareFindings(a: Finding, b: Finding): number {
  return (
    comparePositions(a.range.start, b.range.start) ||
    a.code.localeCompare(b.code) ||
    comparePositions(a.range.end, b.range.end) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
