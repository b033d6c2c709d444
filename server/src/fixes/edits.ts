// Building blocks for fixes: text edits over nodes, indentation, and imports.
import type { TextEdit } from 'vscode-languageserver-types';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { rangeOf } from '../text/positions';
import { planImportInsertions } from '../text/importPlacement';

export function replaceNode(node: Node, newText: string): TextEdit {
  return { range: rangeOf(node), newText };
}

export function insertBefore(node: Node, newText: string): TextEdit {
  const start = { line: node.startPosition.row, character: node.startPosition.column };
  return { range: { start, end: start }, newText };
}

/** Inserts whole lines before line `row` (0-based). */
export function insertLines(row: number, lines: string): TextEdit {
  const start = { line: row, character: 0 };
  return { range: { start, end: start }, newText: lines };
}

/** The text of a source line, without its line break. */
export function lineText(module: ModuleIndex, row: number): string {
  return module.line(row);
}

export function lineIndent(module: ModuleIndex, row: number): string {
  return /^[ \t]*/.exec(lineText(module, row))![0];
}

/** The module's line break: the first one used, else \n. */
export function eol(module: ModuleIndex): string {
  const match = /\r\n|\r|\n/.exec(module.text);
  return match ? match[0] : '\n';
}

/** One level of indentation as the module writes it (from its first indented block), else 4 spaces. */
export function indentUnit(module: ModuleIndex): string {
  for (const fn of [...module.everyOf('function_definition'), ...module.everyOf('if_statement'), ...module.everyOf('for_statement')]) {
    const body = fn.childForFieldName('body') ?? fn.childForFieldName('consequence');
    if (!body || body.startPosition.row === fn.startPosition.row) continue;
    const outer = lineIndent(module, fn.startPosition.row);
    const inner = lineIndent(module, body.startPosition.row);
    if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  }
  return '    ';
}

/** Rows inside a multi-line string after its first line: their text must not be re-indented. */
export function stringContinuationRows(node: Node): Set<number> {
  const rows = new Set<number>();
  for (const str of node.descendantsOfType('string')) {
    if (!str) continue;
    for (let row = str.startPosition.row + 1; row <= str.endPosition.row; row++) rows.add(row);
  }
  return rows;
}

/** Edits that add one level of indentation to rows first..last (inclusive), skipping string continuations. */
export function indentRows(module: ModuleIndex, first: number, last: number, unit: string, skip: Set<number>): TextEdit[] {
  const edits: TextEdit[] = [];
  for (let row = first; row <= last; row++) {
    if (skip.has(row) || lineText(module, row).trim() === '') continue;
    edits.push(insertLines(row, unit));
  }
  return edits;
}

/** Edits that add import lines once, in the right place; none when already imported. */
export function addImports(module: ModuleIndex, importLines: string[]): TextEdit[] {
  const key = `imports:${importLines.join('\n')}`;
  let edits = module.memo.get(key) as TextEdit[] | undefined;
  if (!edits) {
    edits = planImportInsertions(module.text, importLines).map((ins) => insertLines(ins.line, ins.text));
    module.memo.set(key, edits);
  }
  return edits;
}

/**
 * The name under which the module can reach `moduleName` (`asyncio`, or its alias),
 * with the edits that import it when it is not imported yet.
 */
export function moduleReference(module: ModuleIndex, moduleName: string): { name: string; edits: TextEdit[] } {
  for (const imp of [...module.imports, ...module.shared]) {
    if (imp.qualified === moduleName && imp.node.type === 'import_statement') return { name: imp.local, edits: [] };
  }
  return { name: moduleName, edits: addImports(module, [`import ${moduleName}`]) };
}
