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

export function analyzeTree(
  text: string,
  root: Node,
  selection: RuleSelection,
  options: AnalysisOptions,
  rules: readonly Rule[] = RULES,
  /** Skip rules whose required words (`Rule.requires`) the text lacks; off only to test that it changes nothing. */
  gate = true,
): AnalysisResult {
  const shared = options.sharedImports ?? [];
  const module = new ModuleIndex(text, root, shared);
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  // Names imported in other cells count as words of this text for the rules' required words.
  const words = shared.length ? `${text}\n${shared.map((i) => `${i.local} ${i.qualified.replace(/\./g, ' ')}`).join('\n')}` : text;
  const wanted = gate ? requiredWords(rules.filter((r) => r.requires)) ?? [] : undefined;
  const present = wanted && (shared.length ? presentWords(words, wanted) : wordsInModule(root, text, wanted));
  for (const rule of rules) {
    const severity = selection.severity.get(rule.code);
    if (!severity || (present && !ruleMayReport(rule, present))) continue;
    const ctx: RuleContext = {
      module,
      options,
      report(at, message, fix, related, own) {
        const graded = own && severity === rule.severity ? own : severity;
        findings.push({ code: rule.code, name: rule.name, severity: graded, range: isNode(at) ? rangeOf(at) : at, message, fix, related });
      },
    };
    try {
      rule.check(ctx);
    } catch (error) {
      failures.push({ code: rule.code, error });
    }
  }
  const suppressions = readSuppressions(module.of('comment'));
  const kept = findings.filter((f) => !isSuppressed(suppressions.get(f.range.start.line), f.code, f.name));
  kept.sort((a, b) => comparePositions(a.range.start, b.range.start) || a.code.localeCompare(b.code));
  return { findings: kept, failures };
}
