// Publishes diagnostics for open documents, recomputed after each change.
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Severity } from '../rules/rule';
import type { PythonDocument } from '../documents';
import { analyzeTree } from '../analysis';
import { ModuleIndex } from '../semantic/module';
import type { ImportBinding } from '../semantic/imports';
import { ruleDocsUri } from '../engine';
import type { ServerDeps } from '../serverDeps';
import { keepRecentSyntax } from '../incremental/recentSyntax';

export const SOURCE = 'concurrency-coach';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toDiagnostic(uri: string, finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.code,
    codeDescription: { href: ruleDocsUri(finding.code) },
    source: SOURCE,
    message: finding.message,
    relatedInformation: finding.related?.map((r) => ({ location: { uri, range: r.range }, message: r.message })),
    data: { name: finding.name, fixable: !!finding.fix },
  };
}

export function isNotebookCell(uri: string): boolean {
  return uri.startsWith('vscode-notebook-cell:');
}

/** The other open cells of the same notebook (cell URIs differ only in their fragment). */
export function notebookSiblings(deps: ServerDeps, uri: string): PythonDocument[] {
  const notebook = uri.split('#')[0];
  return deps.documents.all().filter((d) => d.uri !== uri && isNotebookCell(d.uri) && d.uri.split('#')[0] === notebook);
}

/** Imports made in the notebook's other cells: a notebook's cells share one namespace. */
export function notebookImports(deps: ServerDeps, doc: PythonDocument): ImportBinding[] {
  return notebookSiblings(deps, doc.uri).flatMap((cell) => new ModuleIndex(cell.text, cell.syntax).imports);
}

/** Analyses a document now (synchronously, after its config is known) and caches the findings for its version. */
export async function analyzeDocument(deps: ServerDeps, doc: PythonDocument): Promise<Finding[] | undefined> {
  const version = doc.version;
  const config = await deps.config.get(doc.uri);
  if (deps.documents.get(doc.uri) !== doc || doc.version !== version) return undefined; // outdated meanwhile
  if (!config.settings.enable || config.excluded) return [];
  if (doc.text.length > config.settings.maxFileSize) {
    // The same words at every keystroke, so the message is shown once per file, not once per edit.
    deps.config.report(`Skipped ${doc.uri}: it has more than ${config.settings.maxFileSize} characters (the concurrencyCoach.maxFileSize setting), so it is not analysed.`);
    return [];
  }
  const options = isNotebookCell(doc.uri) ? { ...config.options, sharedImports: notebookImports(deps, doc) } : config.options;
  const result = analyzeTree(doc.text, doc.syntax, config.selection, options);
  keepRecentSyntax(doc);
  for (const failure of result.failures) deps.logFailure(failure.code, doc.uri, failure.error);
  deps.findings.set(doc.uri, { version, findings: result.findings });
  return result.findings;
}

export function register(connection: Connection, deps: ServerDeps): { schedule(uri: string): void } {
  const pending = new Map<string, NodeJS.Immediate>();

  async function publish(uri: string): Promise<void> {
    const doc = deps.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    let findings: Finding[] | undefined;
    try {
      findings = await analyzeDocument(deps, doc);
    } catch (error) {
      connection.console.error(`Could not analyse ${uri}: ${error instanceof Error ? error.stack : String(error)}`);
      findings = [];
    }
    if (!findings || deps.documents.get(uri) !== doc || doc.version !== version) return; // never publish stale results
    void connection.sendDiagnostics({ uri, version, diagnostics: findings.map((f) => toDiagnostic(uri, f)) });
  }

  function schedule(uri: string): void {
    const previous = pending.get(uri);
    if (previous) clearImmediate(previous);
    pending.set(uri, setImmediate(() => {
      pending.delete(uri);
      void publish(uri);
    }));
  }

  return { schedule };
}
