// Quick fixes, "disable for this line", "show documentation", and source.fixAll.
import {
  CodeActionKind, TextDocumentEdit, type CancellationToken, type CodeAction, type CodeActionParams, type Connection, type TextEdit,
} from 'vscode-languageserver';
import type { Finding } from '../rules/rule';
import type { PythonDocument } from '../documents';
import { toDiagnostic, analyzeDocument } from './diagnostics';
import { noqaEdit } from '../fixes/noqa';
import { fixSteps, analyzeText } from '../engine';
import { comparePositions } from '../text/positions';
import type { ServerDeps } from '../serverDeps';
import type { Parser } from 'web-tree-sitter';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.concurrencyCoach`;
export const SHOW_DOCS_COMMAND = 'concurrencyCoach.showDocumentation';

function overlaps(f: Finding, params: CodeActionParams): boolean {
  return comparePositions(f.range.start, params.range.end) <= 0 && comparePositions(params.range.start, f.range.end) <= 0;
}

function editFor(doc: PythonDocument, version: number, edits: TextEdit[]) {
  return { documentChanges: [TextDocumentEdit.create({ uri: doc.uri, version }, edits)] };
}

async function currentFindings(deps: ServerDeps, doc: PythonDocument): Promise<Finding[] | undefined> {
  const cached = deps.findings.get(doc.uri);
  if (cached && cached.version === doc.version) return cached.findings;
  return analyzeDocument(deps, doc);
}

function findingActions(doc: PythonDocument, version: number, f: Finding): CodeAction[] {
  const diagnostic = toDiagnostic(doc.uri, f);
  const actions: CodeAction[] = [];
  if (f.fix) {
    actions.push({
      title: f.fix.title + (f.fix.safe ? '' : ' (unsafe)'),
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: f.fix.safe,
      edit: editFor(doc, version, f.fix.edits),
    });
  }
  const row = f.range.start.line;
  const line = doc.text.slice(doc.lineStarts[row], doc.lineStarts[row + 1] ?? doc.text.length).replace(/\r?\n$|\r$/, '');
  actions.push({
    title: `Disable ${f.code} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: editFor(doc, version, [noqaEdit(line, row, f.code)]),
  });
  actions.push({
    title: `Show documentation for ${f.code}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title: `Show documentation for ${f.code}`, command: SHOW_DOCS_COMMAND, arguments: [f.code] },
  });
  return actions;
}

export function register(connection: Connection, deps: ServerDeps, parser: Parser): void {
  connection.onCodeAction(async (params, token) => {
    try {
      return await provideCodeActions(deps, parser, params, token);
    } catch (error) {
      connection.console.error(`Code actions failed on ${params.textDocument.uri}: ${error instanceof Error ? error.stack : String(error)}`);
      return [];
    }
  });
}

async function provideCodeActions(deps: ServerDeps, parser: Parser, params: CodeActionParams, token: CancellationToken): Promise<CodeAction[]> {
  const doc = deps.documents.get(params.textDocument.uri);
  if (!doc) return [];
  const version = doc.version;
  const current = () => !token.isCancellationRequested && deps.documents.get(doc.uri) === doc && doc.version === version;
  const only = params.context.only;
  const wantsFixAll = only?.some((k) => FIX_ALL_KIND.startsWith(k) && k.startsWith(CodeActionKind.SourceFixAll));
  const wantsQuickFix = !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k));
  const actions: CodeAction[] = [];
  if (wantsQuickFix) {
    const findings = await currentFindings(deps, doc);
    if (!findings || !current()) return [];
    for (const f of findings.filter((f) => overlaps(f, params))) actions.push(...findingActions(doc, version, f));
  }
  const config = wantsFixAll ? await deps.config.get(doc.uri) : undefined;
  if (!current()) return [];
  // Like diagnostics, fix-all skips disabled, excluded and oversized files.
  if (config?.settings.enable && !config.excluded && doc.text.length <= config.settings.maxFileSize) {
    // One analysis per turn of the event loop, so that a cancellation or a newer edit stops the work.
    const steps = fixSteps((text) => analyzeText(parser, text, config).findings, doc.text);
    let step = steps.next();
    while (!step.done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!current()) return [];
      step = steps.next();
    }
    const fixed = step.value;
    if (fixed.applied.length > 0) {
      const end = { line: doc.lineStarts.length, character: 0 };
      actions.push({
        title: 'Fix all safe concurrency problems',
        kind: FIX_ALL_KIND,
        edit: editFor(doc, version, [{ range: { start: { line: 0, character: 0 }, end }, newText: fixed.text }]),
      });
    }
  }
  return current() ? actions : [];
}
