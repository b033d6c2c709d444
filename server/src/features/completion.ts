// The concurrency patterns as snippet completions, for editors that have no contributed snippets.
import {
  CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind, type CompletionItem, type Connection, type TextEdit,
} from 'vscode-languageserver';
import { loadPatterns, supportedOn, type Pattern } from '../coaching/patterns';
import { planImportInsertions } from '../text/importPlacement';
import type { ServerDeps } from '../serverDeps';
import type { PythonDocument } from '../documents';

/** Escapes text so that a snippet inserts it literally. */
function literal(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** The document's indentation unit: its first indented line, else 4 spaces. */
function indentUnitOf(text: string): string {
  const match = /^([ \t]+)\S/m.exec(text);
  return match ? match[1] : '    ';
}

export function patternCompletion(doc: PythonDocument, pattern: Pattern, line: number, character: number, typed: string, pythonVersion: string): CompletionItem {
  const lineText = doc.text.slice(doc.lineStarts[line], doc.lineStarts[line] + character);
  const indent = /^[ \t]*/.exec(lineText)![0];
  const unit = indentUnitOf(doc.text);
  let body = pattern.body.split('\n').map((l, i) => (i === 0 ? '' : indent) + l.replace(/^\t+/, (tabs) => unit.repeat(tabs.length))).join('\n');
  const additionalTextEdits: TextEdit[] = [];
  for (const ins of planImportInsertions(doc.text, pattern.imports)) {
    // An import that would land at or after the cursor's line goes into the inserted text instead.
    if (ins.line >= line) body = literal(ins.text.replace(/^\n+|\n+$/g, '')) + '\n\n' + indent + body;
    else additionalTextEdits.push({ range: { start: { line: ins.line, character: 0 }, end: { line: ins.line, character: 0 } }, newText: ins.text });
  }
  const supported = supportedOn(pattern, pythonVersion);
  return {
    label: pattern.prefix,
    labelDetails: { description: `Python ${pattern.minPython}+` },
    kind: CompletionItemKind.Snippet,
    detail: pattern.title + (supported ? '' : ` (needs Python ${pattern.minPython}; you target ${pythonVersion})`),
    documentation: { kind: MarkupKind.Markdown, value: `${pattern.description}\n\nAdds: ${pattern.imports.map((i) => `\`${i}\``).join(', ') || 'no imports'}` },
    sortText: `${supported ? 0 : 1}${pattern.prefix}`,
    filterText: pattern.prefix,
    insertTextFormat: InsertTextFormat.Snippet,
    insertTextMode: InsertTextMode.asIs,
    textEdit: { range: { start: { line, character: character - typed.length }, end: { line, character } }, newText: body },
    additionalTextEdits,
  };
}

export function register(connection: Connection, deps: ServerDeps): void {
  let patterns: Pattern[] | undefined;
  connection.onCompletion(async ({ textDocument, position }, token) => {
    try {
      const doc = deps.documents.get(textDocument.uri);
      if (!doc || position.line < 0 || position.line >= doc.lineStarts.length) return [];
      const version = doc.version;
      const before = doc.text.slice(doc.lineStarts[position.line], doc.lineStarts[position.line] + position.character);
      const match = /^[ \t]*([a-z][\w-]*)$/.exec(before); // only where a statement starts
      if (!match || !'cc-'.startsWith(match[1].slice(0, 3))) return [];
      const config = await deps.config.get(doc.uri);
      if (token.isCancellationRequested || deps.documents.get(doc.uri) !== doc || doc.version !== version) return [];
      try {
        patterns ??= loadPatterns();
      } catch (error) {
        connection.console.error(`Could not load the snippets: ${String(error)}`);
        return [];
      }
      const typed = match[1];
      return patterns
        .filter((p) => p.prefix.startsWith(typed))
        .map((p) => patternCompletion(doc, p, position.line, position.character, typed, config.options.python.version));
    } catch (error) {
      connection.console.error(`Completion failed on ${textDocument.uri}: ${error instanceof Error ? error.stack : String(error)}`);
      return [];
    }
  });
}
