// What the fuzz tests compare after each step: the incremental document against an independent
// TextDocument, a fresh parse and a fresh analysis of the same text.
import type { Parser, Tree } from 'web-tree-sitter';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { PythonDocument, parserText } from '../../server/src/documents';
import { analyzeTree, type AnalysisResult } from '../../server/src/analysis';
import { mirrorOf, type Node } from '../../server/src/trees';
import { lineStarts } from '../../server/src/text/positions';
import type { EngineConfig } from '../../server/src/engine';
import { Random } from './prng';
import { EditSession, SEED_TEXTS } from './fuzzEdits';
import { configFor, getParser } from './helpers';

/** Every node of a tree-sitter tree with its type, field, offsets and rows/columns (toString has no positions). */
export function treeSignature(tree: Tree): string {
  const cursor = tree.walk();
  const parts: string[] = [];
  try {
    let descending = true;
    for (;;) {
      if (descending) {
        const s = cursor.startPosition;
        const e = cursor.endPosition;
        parts.push(`${cursor.currentFieldName ?? ''}:${cursor.nodeType}${cursor.nodeIsMissing ? '!' : ''}@${cursor.startIndex}-${cursor.endIndex}/${s.row},${s.column}-${e.row},${e.column}`);
        if (cursor.gotoFirstChild()) continue;
      }
      if (cursor.gotoNextSibling()) {
        descending = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      descending = false;
    }
  } finally {
    cursor.delete();
  }
  return parts.join(' ');
}

/** The same for the JavaScript mirror the analysis reads. */
export function mirrorSignature(root: Node): string {
  const parts: string[] = [];
  const stack: { node: Node; field: string | undefined }[] = [{ node: root, field: undefined }];
  while (stack.length) {
    const { node, field } = stack.pop()!;
    const s = node.startPosition;
    const e = node.endPosition;
    parts.push(`${field ?? ''}:${node.type}${node.isMissing ? '!' : ''}@${node.startIndex}-${node.endIndex}/${s.row},${s.column}-${e.row},${e.column}`);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], field: node.children[i].field });
  }
  return parts.join(' ');
}

export function resultKey(result: AnalysisResult): string {
  return JSON.stringify({ findings: result.findings, failures: result.failures.map((f) => `${f.code}: ${String(f.error)}`) });
}

export interface StepRecord {
  step: number;
  changes: TextDocumentContentChangeEvent[];
}

/** A document under test next to its expected twin; `check` throws with a reproducible report. */
export class FuzzSubject {
  readonly doc: PythonDocument;
  readonly expected: TextDocument;
  private version = 1;
  readonly history: StepRecord[] = [];

  constructor(readonly parser: Parser, readonly config: EngineConfig, readonly seed: number, text: string) {
    this.doc = new PythonDocument('file:///fuzz.py', 1, text, parser);
    this.expected = TextDocument.create('file:///fuzz.py', 'python', 1, text);
  }

  /** Applies one didChange worth of changes to the document under test (the expected twin already has them). */
  apply(changes: TextDocumentContentChangeEvent[]): void {
    this.version++;
    this.history.push({ step: this.version, changes });
    if (this.history.length > 8) this.history.shift();
    this.doc.applyChanges(changes, this.version);
  }

  fail(what: string, detail: string): never {
    const recent = this.history.map((h) => `  v${h.step}: ${JSON.stringify(h.changes)}`).join('\n');
    throw new Error(
      `fuzz seed ${this.seed}, version ${this.version}: ${what}\n` +
      `reproduce with FUZZ_SEEDS=${this.seed}\nlast changes:\n${recent}\ntext: ${JSON.stringify(this.expected.getText())}\n${detail}`,
    );
  }

  /** Text, line starts, tree (S-expression and every position), mirror and diagnostics against fresh ones. */
  check(options: { diagnostics: boolean; mirror?: boolean }): void {
    const text = this.expected.getText();
    if (this.doc.text !== text) this.fail('text differs from TextDocument.update', `ours: ${JSON.stringify(this.doc.text)}`);
    if (this.doc.lineStarts.join() !== lineStarts(text).join()) this.fail('line starts differ', '');
    const fresh = this.parser.parse(parserText(text));
    if (!fresh) this.fail('fresh parse failed', '');
    try {
      const incremental = this.doc.tree;
      const a = incremental.rootNode.toString();
      const b = fresh.rootNode.toString();
      if (a !== b) this.fail('incremental tree differs from a fresh parse', `incremental: ${a}\nfresh:       ${b}`);
      // The fresh mirror is a copy of the fresh tree with LSP positions (built by one cursor walk, like
      // treeSignature): the incremental tree's nodes, fields and positions must all equal it.
      const freshMirror = mirrorOf(fresh, text);
      const mb = mirrorSignature(freshMirror);
      const sa = treeSignature(incremental);
      if (sa !== mb) this.fail('incremental tree (or its positions) differs from a fresh parse', `incremental: ${sa}\nfresh:       ${mb}`);
      const ma = mirrorSignature(this.doc.syntax);
      if (options.mirror !== false && ma !== mb) this.fail('incremental syntax mirror differs from a fresh one', `incremental: ${ma}\nfresh:       ${mb}`);
      if (options.diagnostics) {
        const ours = analyzeTree(this.doc.text, this.doc.syntax, this.config.selection, this.config.options);
        const theirs = analyzeTree(text, freshMirror, this.config.selection, this.config.options);
        const ka = resultKey(ours);
        const kb = resultKey(theirs);
        if (ka !== kb) this.fail('incremental diagnostics differ from a full analysis', `incremental: ${ka}\nfull:        ${kb}`);
        if (ours.failures.length) this.fail(`rule ${ours.failures[0].code} threw`, String((ours.failures[0].error as Error)?.stack ?? ours.failures[0].error));
      }
    } finally {
      fresh.delete();
    }
  }

  dispose(): void {
    this.doc.dispose();
  }
}

export interface FuzzRun {
  seed: number;
  edits: number;
  steps: number;
  /** Steps after which the text parsed without errors (the incremental tree was kept). */
  clean: number;
  ms: number;
}

/** One seed: random edit sessions until `edits` changes were applied, checking every step. */
export async function runFuzzSeed(seed: number, edits: number): Promise<FuzzRun> {
  const parser = await getParser();
  const rng = new Random(seed);
  const subject = new FuzzSubject(parser, configFor(), seed, rng.pick(SEED_TEXTS));
  const session = new EditSession(rng, subject.expected);
  const started = Date.now();
  const run: FuzzRun = { seed, edits: 0, steps: 0, clean: 0, ms: 0 };
  try {
    subject.check({ diagnostics: true });
    while (run.edits < edits) {
      const changes = session.next();
      subject.apply(changes);
      run.edits += changes.length;
      run.steps++;
      subject.check({ diagnostics: true });
      if (!subject.doc.tree.rootNode.hasError) {
        run.clean++;
        session.markClean();
      }
    }
  } finally {
    subject.dispose();
  }
  run.ms = Date.now() - started;
  return run;
}
