// Open documents: text, version and syntax tree, kept in step with incremental edits.
import type { Position, Range } from 'vscode-languageserver-types';
import type { Parser } from 'web-tree-sitter';
import type { Tree } from './trees';
import { buildMirror, type EditSpan, type Mirror } from './syntax/mirror';
import type { SyntaxNode } from './syntax/node';
import { editLineStarts, lineStarts, offsetAt, positionAt } from './text/positions';

export interface TextChange {
  range?: Range;
  text: string;
}

/**
 * Tree-sitter counts only \n as a line break; LSP also counts a lone \r. Parsing a copy in which
 * each lone \r is a \n (same length, so the same offsets) keeps rows and columns identical.
 */
export function parserText(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * The text as the parser reads it, in short pieces. Given a string, web-tree-sitter copies up to
 * 5,119 characters into wasm memory at every place the parser starts reading; an incremental parse
 * reads at dozens of places and needs a few characters at most of them.
 */
const INCREMENTAL_CHUNK = 512;

function chunksOf(text: string): (index: number) => string {
  return (index) => text.slice(index, index + INCREMENTAL_CHUNK);
}

/** Where inserted text ends, in parser rows: a trailing \r that meets a \n is no line break. */
function endPosition(start: Position, inserted: string, nextChar: number): { row: number; column: number } {
  if (nextChar === 10 && inserted.endsWith('\r')) {
    const end = endPosition(start, inserted.slice(0, -1), -1);
    return { row: end.row, column: end.column + 1 };
  }
  const starts = lineStarts(inserted);
  if (starts.length === 1) return { row: start.line, column: start.character + inserted.length };
  return { row: start.line + starts.length - 1, column: inserted.length - starts[starts.length - 1] };
}

/** Where two texts differ: `a[start, end)` is what changed (empty when they are equal). */
export function differingSpan(a: string, b: string): { start: number; end: number } {
  const shorter = Math.min(a.length, b.length);
  let start = 0;
  while (start < shorter && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let common = 0;
  while (common < shorter - start && a.charCodeAt(a.length - 1 - common) === b.charCodeAt(b.length - 1 - common)) common++;
  return { start, end: a.length - common };
}

export class PythonDocument {
  private starts: number[];
  private parsedTree: Tree | undefined;
  private mirror: Mirror | undefined;
  private mirrorVersion = -1;
  /** Edits since the mirror was built, in order: the mirror reuses the statements they did not touch. */
  private edits: EditSpan[] = [];

  constructor(
    readonly uri: string,
    public version: number,
    private content: string,
    private readonly parser: Parser,
    readonly languageId = 'python',
  ) {
    this.starts = lineStarts(content);
  }

  get text(): string {
    return this.content;
  }

  get lineStarts(): number[] {
    return this.starts;
  }

  /** The syntax tree for the current text, parsed (incrementally when possible) on first use. */
  get tree(): Tree {
    if (!this.parsedTree) {
      const tree = this.parser.parse(parserText(this.content));
      if (!tree) throw new Error(`Could not parse ${this.uri}`);
      this.parsedTree = tree;
    }
    return this.parsedTree;
  }

  /** The syntax tree mirrored in JavaScript, rebuilt only where statements changed since the last mirror. */
  get syntax(): SyntaxNode {
    if (!this.mirror || this.mirrorVersion !== this.version) {
      this.mirror = buildMirror(this.tree, this.content, this.starts, this.mirror && { previous: this.mirror, edits: this.edits });
      this.mirrorVersion = this.version;
      this.edits = [];
    }
    return this.mirror.root;
  }

  /** Applies LSP content changes in order; each edit is also applied to the tree, which is then re-parsed with the old tree. */
  applyChanges(changes: readonly TextChange[], version: number): void {
    for (const change of changes) {
      if (change.range) {
        // A reversed range is taken as the same range in order, as vscode-languageserver-textdocument does.
        const a = offsetAt(this.starts, this.content, change.range.start);
        const b = offsetAt(this.starts, this.content, change.range.end);
        this.replace(Math.min(a, b), Math.max(a, b), change.text);
      } else {
        // A whole-text change (clients that sync in full) becomes the one edit between the texts'
        // common start and end, so the tree and the mirror are still reused around it.
        const span = differingSpan(this.content, change.text);
        this.replace(span.start, span.end, change.text.slice(span.start, change.text.length - (this.content.length - span.end)));
      }
    }
    this.version = version;
    if (this.parsedTree) {
      const source = parserText(this.content);
      let next = this.parser.parse(chunksOf(source), this.parsedTree);
      // Inside broken code, tree-sitter's error recovery can differ between an incremental and a
      // fresh parse. Then the tree is parsed afresh, so the analysis never depends on edit history.
      if (next?.rootNode.hasError) {
        next.delete();
        next = this.parser.parse(source);
      }
      this.replaceTree(next ?? undefined);
    }
  }

  /** Replaces `text[start, end)`: in the text, its line starts, the tree (edited, not yet re-parsed) and the mirror's edit log. */
  private replace(start: number, end: number, text: string): void {
    let inserted = text;
    // The parser copy of the character before the edit depends on the one after it (\r vs \r\n).
    if (start > 0 && this.content.charCodeAt(start - 1) === 13) {
      start -= 1;
      inserted = '\r' + inserted;
    }
    const startPos = this.positionOf(start);
    const oldEndPos = this.positionOf(end);
    const newEnd = start + inserted.length;
    this.parsedTree?.edit({
      startIndex: start,
      oldEndIndex: end,
      newEndIndex: newEnd,
      startPosition: { row: startPos.line, column: startPos.character },
      oldEndPosition: { row: oldEndPos.line, column: oldEndPos.character },
      newEndPosition: endPosition(startPos, inserted, this.content.charCodeAt(end)),
    });
    this.content = this.content.slice(0, start) + inserted + this.content.slice(end);
    this.starts = editLineStarts(this.starts, this.content, start, end, newEnd);
    if (this.mirror) this.edits.push({ start, oldEnd: end, newEnd }); // without a mirror, the next one is built whole
  }

  private positionOf(offset: number): Position {
    return positionAt(this.starts, offset);
  }

  private replaceTree(next: Tree | undefined): void {
    this.parsedTree?.delete();
    this.parsedTree = next;
  }

  /** Frees the tree and its mirror (to save memory); both are rebuilt from the text on next use. */
  releaseSyntax(): void {
    this.mirror = undefined;
    this.edits = [];
    this.replaceTree(undefined);
  }

  dispose(): void {
    this.releaseSyntax();
  }
}

/** The open documents, by URI. Trees exist only for open documents and are freed on close. */
export class DocumentStore {
  private readonly docs = new Map<string, PythonDocument>();

  constructor(private readonly parser: Parser) {}

  open(uri: string, version: number, text: string, languageId = 'python'): PythonDocument {
    this.close(uri);
    const doc = new PythonDocument(uri, version, text, this.parser, languageId);
    this.docs.set(uri, doc);
    return doc;
  }

  get(uri: string): PythonDocument | undefined {
    return this.docs.get(uri);
  }

  change(uri: string, version: number, changes: readonly TextChange[]): PythonDocument | undefined {
    const doc = this.docs.get(uri);
    doc?.applyChanges(changes, version);
    return doc;
  }

  close(uri: string): void {
    this.docs.get(uri)?.dispose();
    this.docs.delete(uri);
  }

  all(): PythonDocument[] {
    return [...this.docs.values()];
  }
}
