// Random LSP content changes for the fuzz tests: inserts, deletes and replacements, across line breaks,
// with non-ASCII and astral characters, CRLF and lone CR, tracked in an independent TextDocument.
// `EditSession` mixes them with editing as people do it (typing a line, erasing it, renaming a word,
// multi-cursor inserts), so that error-free trees are re-parsed incrementally too.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import type { Random } from './prng';

/** Small modules full of concurrency code, so that most steps have diagnostics to compare. */
export const SEED_TEXTS = [
  'import time\nimport asyncio\n\nasync def poll():\n    s = "é😀"; time.sleep(1)\n    await asyncio.sleep(0)\n',
  'import threading\nlock = threading.Lock()\n\ndef g():\n    lock.acquire()\n    print("世界")\n    lock.release()\n',
  'import threading\n\ndef work():\n    pass\n\nt = threading.Thread(target=work())\nt.run()\n',
  'import asyncio\n\nasync def main():\n    asyncio.create_task(job())\n    loop = asyncio.get_event_loop()\n    await asyncio.sleep(1)  # noqa: PCC101\n\nasyncio.run(main())\n',
  'from time import sleep as nap\n\nasync def f(x):\n    match x:\n        case [a, *rest]:\n            nap(1)\n        case _:\n            pass\n',
  'import multiprocessing as mp\n\ndef job(n):\n    return n\n\np = mp.Process(target=job, args=(1))\np.start()\n',
  'type Pair[T] = tuple[T, T]\n\nasync def g[T](x: T) -> T:\n    try:\n        await h()\n    except* ValueError:\n        pass\n    return f"{x!r:>{10}} {"nested"}"\n',
  '# -*- coding: latin-1 -*-\nprint "old"\nexec "x = 1"\ndef f(a, (b, c)):\n    return `a`\n',
  '',
];

const TOKENS = [
  'time.sleep(1)', 'await ', 'async def f():', 'def g(x):', 'class C:', 'return', 'pass', '    ', '\t', ' ', ' ', 'x', 'y = 1',
  '\n', '\n', '\n', '\r\n', '\r\n', '\r', '\n    ', '\r\n    ', '(', ')', '[', ']', '{', '}', ':', ',', '.', '=', '"', "'", '"""',
  'f"{x!r:>{w}} {"q"}"', '#', '# noqa: PCC101', '# noqa', 'import time', 'import asyncio', 'import threading', 'from time import sleep',
  'lock = threading.Lock()', 'lock.acquire()', 'lock.release()', 'with lock:', 'threading.Thread(target=work)', 't.start()', 't.join()',
  'asyncio.run(main())', 'asyncio.create_task(c())', 'requests.get(u)', 'open("f").read()', 'input()', 'subprocess.run(["ls"])',
  'match x:', 'case [a, *b]:', 'except* ValueError:', 'type T[U] = list[U]', 'lambda: 0', 'yield', 'global g', '\\',
  'é', '世界', '😀', '👨‍👩‍👧', 'e\u0301', '𝔘', '\u200b', '\u00a0', '\uFEFF', '\x00', '\f', '\v',
];

export interface FuzzOptions {
  /** Above this many characters, edits favour deletion. */
  maxLength: number;
  /** Chance that a position is sent out of range (past a line end or the last line), which LSP clamps. */
  outOfRange: number;
  /** Chance that a position may fall inside a surrogate pair. */
  splitSurrogates: number;
}

export const DEFAULT_FUZZ: FuzzOptions = { maxLength: 600, outOfRange: 0.03, splitSurrogates: 0.02 };

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function randomOffset(rng: Random, text: string, options: FuzzOptions): number {
  let offset = rng.int(0, text.length);
  if (!rng.chance(options.splitSurrogates) && isLowSurrogate(text.charCodeAt(offset))) offset--;
  return offset;
}

function randomPosition(rng: Random, doc: TextDocument, options: FuzzOptions): Position {
  if (rng.chance(options.outOfRange)) {
    const line = rng.int(0, doc.lineCount + 1);
    return { line, character: rng.int(0, 200) };
  }
  return doc.positionAt(randomOffset(rng, doc.getText(), options));
}

export function randomInsertText(rng: Random): string {
  let text = '';
  for (let i = rng.int(1, 4); i > 0; i--) text += rng.pick(TOKENS);
  return text;
}

export function withLineEndings(text: string, eol: string): string {
  return text.replace(/\r\n|\r|\n/g, eol);
}

/** One random change against the document's current text. */
export function randomChange(rng: Random, doc: TextDocument, options: FuzzOptions = DEFAULT_FUZZ): TextDocumentContentChangeEvent {
  const text = doc.getText();
  const long = text.length > options.maxLength;
  const kind = rng.weighted({ insert: long ? 1 : 5, delete: long ? 8 : 3, replace: 3, lineDelete: long ? 2 : 0.5, full: 0.15 });
  if (kind === 'full') {
    return { text: withLineEndings(rng.pick(SEED_TEXTS), rng.pick(['\n', '\n', '\r\n', '\r'])) };
  }
  if (kind === 'lineDelete') {
    // Whole lines, line breaks included: joins what surrounds them.
    const line = rng.int(0, doc.lineCount - 1);
    const count = rng.int(1, 4);
    return { range: { start: { line, character: 0 }, end: { line: line + count, character: 0 } }, text: '' };
  }
  const start = randomPosition(rng, doc, options);
  let end = start;
  if (kind !== 'insert') {
    const from = doc.offsetAt(start);
    const length = rng.chance(0.8) ? rng.int(0, 8) : rng.int(0, 80);
    end = rng.chance(options.outOfRange) ? randomPosition(rng, doc, options) : doc.positionAt(Math.min(text.length, from + length));
  }
  // Ranges come well-formed from editors; a few reversed ones check that both sides order them alike.
  const range = rng.chance(0.01) ? { start: end, end: start } : { start, end };
  return { range, text: kind === 'delete' ? '' : randomInsertText(rng) };
}

/** One didChange worth of changes (usually one; several like a multi-cursor edit), applied to `doc` as it goes. */
export function randomStep(rng: Random, doc: TextDocument, options: FuzzOptions = DEFAULT_FUZZ): TextDocumentContentChangeEvent[] {
  const count = rng.chance(0.7) ? 1 : rng.int(2, 5);
  const changes: TextDocumentContentChangeEvent[] = [];
  for (let i = 0; i < count; i++) {
    const change = randomChange(rng, doc, options);
    changes.push(change);
    TextDocument.update(doc, [change], doc.version + 1);
  }
  return changes;
}

/** Whole statements that people type, one line each, some with non-ASCII text. */
const STATEMENTS = [
  'time.sleep(1)', 'await asyncio.sleep(0)', 'x = 1', 'pass', 's = "é😀世界"; time.sleep(0.5)', 'lock.acquire()', 'lock.release()',
  't = threading.Thread(target=work)', 't.start()', 't.join()', 'print("e\u0301 👨‍👩‍👧 𝔘")', 'import time', 'import threading',
  'from time import sleep as nap', 'nap(2)  # noqa: PCC101', '# a comment with 世界 and 😀', 'requests.get(url)',
  'asyncio.create_task(job())', 'with lock:', 'async def job():', 'def work():', 'return 1', 'y = [i for i in range(3)]',
  'data = open("f").read()', 'value = f"{x!r:>{10}} {"nested"}"', 'match x:', 'type Alias[T] = list[T]', '\tx = 2',
];

const WORDS = ['sleep', 'nap', 'time', 'lock', 't', 'x', 'é', '世界', '_a', 'asyncio', 'threading', 'acquire', 'async', 'await'];

function eolOf(text: string): string {
  const m = /\r\n|\r|\n/.exec(text);
  return m ? m[0] : '\n';
}

/** Splits text into 1–3 code-point chunks, as typing delivers it. */
function chunks(rng: Random, text: string): string[] {
  const points = [...text];
  const out: string[] = [];
  for (let i = 0; i < points.length; ) {
    const n = rng.int(1, 3);
    out.push(points.slice(i, i + n).join(''));
    i += n;
  }
  return out;
}

type Planned = () => TextDocumentContentChangeEvent[];

/** A stream of didChange steps against `doc`, each applied to it before it is returned. */
export class EditSession {
  private queue: Planned[] = [];
  private clean: string | undefined;

  constructor(private readonly rng: Random, readonly doc: TextDocument, private readonly options: FuzzOptions = DEFAULT_FUZZ) {}

  next(): TextDocumentContentChangeEvent[] {
    if (this.queue.length === 0) this.plan();
    const changes = this.queue.shift()!();
    return changes;
  }

  /** Tells the session the current text parses without errors: "undo" steps may return to it. */
  markClean(): void {
    this.clean = this.doc.getText();
  }

  private apply(change: TextDocumentContentChangeEvent): TextDocumentContentChangeEvent[] {
    TextDocument.update(this.doc, [change], this.doc.version + 1);
    return [change];
  }

  private plan(): void {
    const rng = this.rng;
    const long = this.doc.getText().length > this.options.maxLength;
    const undo = this.clean !== undefined && this.clean !== this.doc.getText() ? 1.5 : 0;
    const kind = rng.weighted({ type: long ? 1 : 5, erase: long ? 6 : 2, word: 2, multi: 1, paste: long ? 0 : 0.4, chaos: 1, reset: 0.2, undo });
    switch (kind) {
      case 'undo': return void this.queue.push(() => this.undo());
      case 'type': return this.planTyping();
      case 'erase': return this.planErasing();
      case 'word': return void this.queue.push(() => this.renameWord());
      case 'multi': return void this.queue.push(() => this.multiCursor());
      case 'paste': return void this.queue.push(() => this.paste());
      case 'reset': return void this.queue.push(() => this.apply({ text: withLineEndings(rng.pick(SEED_TEXTS), rng.pick(['\n', '\n', '\r\n', '\r'])) }));
      default: return void this.queue.push(() => randomStep(rng, this.doc, this.options));
    }
  }

  /** Enter at the start of a line, then the statement a few characters at a time, indented like that line. */
  private planTyping(): void {
    const rng = this.rng;
    const text = this.doc.getText();
    const line = rng.int(0, this.doc.lineCount - 1);
    let offset = this.doc.offsetAt({ line, character: 0 });
    const indent = /^[ \t]*/.exec(text.slice(offset))![0];
    const eol = rng.chance(0.9) ? eolOf(text) : rng.pick(['\n', '\r\n', '\r']);
    const keys = [eol, ...chunks(rng, indent + rng.pick(STATEMENTS))].map((key, index) => () => {
      const changes = this.insertAt(offset, key);
      if (index > 0) offset += key.length; // the line break stays after the typed text
      return changes;
    });
    this.queueKeystrokes(keys);
  }

  /** Keystrokes typed faster than the client sends them arrive together, as several changes in one didChange. */
  private queueKeystrokes(keys: (() => TextDocumentContentChangeEvent[])[]): void {
    for (let i = 0; i < keys.length; ) {
      const batch = keys.slice(i, (i += this.rng.chance(0.5) ? 1 : this.rng.int(2, 5)));
      this.queue.push(() => batch.flatMap((key) => key()));
    }
  }

  private insertAt(offset: number, text: string): TextDocumentContentChangeEvent[] {
    const pos = this.doc.positionAt(offset);
    return this.apply({ range: { start: pos, end: pos }, text });
  }

  /** Backspace from the end of a line to its start, a few code points at a time, then join it with the previous line. */
  private planErasing(): void {
    const line = this.rng.int(0, this.doc.lineCount - 1);
    const { start, end } = this.lineRange(line);
    const lineStart = this.doc.offsetAt(start);
    let lineEnd = this.doc.offsetAt(end);
    const points = [...this.doc.getText().slice(lineStart, lineEnd)];
    const backspace = (removed: string) => {
      const from = lineEnd - removed.length;
      const changes = this.apply({ range: { start: this.doc.positionAt(from), end: this.doc.positionAt(lineEnd) }, text: '' });
      lineEnd = from;
      return changes;
    };
    const join = () => {
      if (line === 0) return this.apply({ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' });
      return this.apply({ range: { start: this.lineRange(line - 1).end, end: { line, character: 0 } }, text: '' });
    };
    const keys: (() => TextDocumentContentChangeEvent[])[] = [];
    while (points.length > 0) {
      const removed = points.splice(-this.rng.int(1, 3)).join('');
      keys.push(() => backspace(removed));
    }
    keys.push(join);
    this.queueKeystrokes(keys);
  }

  private lineRange(line: number): { start: Position; end: Position } {
    return { start: { line, character: 0 }, end: this.doc.positionAt(this.doc.offsetAt({ line: line + 1, character: 0 })) };
  }

  /** Back to the last error-free text in one ranged change, as an editor's undo sends it. */
  private undo(): TextDocumentContentChangeEvent[] {
    const text = this.doc.getText();
    const target = this.clean!;
    let prefix = 0;
    while (prefix < text.length && prefix < target.length && text[prefix] === target[prefix]) prefix++;
    let suffix = 0;
    while (suffix < text.length - prefix && suffix < target.length - prefix && text[text.length - 1 - suffix] === target[target.length - 1 - suffix]) suffix++;
    // LSP positions cannot point between \r and \n.
    if (prefix > 0 && text[prefix - 1] === '\r') prefix--;
    if (suffix > 0 && text[text.length - suffix] === '\n') suffix--;
    const range = { start: this.doc.positionAt(prefix), end: this.doc.positionAt(text.length - suffix) };
    const change = { range, text: target.slice(prefix, target.length - suffix) };
    this.apply(change);
    if (this.doc.getText() !== target) throw new Error('undo did not restore the text'); // positions inside \r\n or a surrogate pair
    return [change];
  }

  private renameWord(): TextDocumentContentChangeEvent[] {
    const text = this.doc.getText();
    const words = [...text.matchAll(/[A-Za-z_][A-Za-z_0-9]*/g)];
    if (words.length === 0) return randomStep(this.rng, this.doc, this.options);
    const word = this.rng.pick(words);
    const range = { start: this.doc.positionAt(word.index!), end: this.doc.positionAt(word.index! + word[0].length) };
    return this.apply({ range, text: this.rng.pick(WORDS) });
  }

  /** The same text at several line starts in one didChange, each change relative to the text after the previous one. */
  private multiCursor(): TextDocumentContentChangeEvent[] {
    const token = this.rng.pick(['# ', '    ', '\t', 'x', '😀', 'é', '']);
    const lines = new Set<number>();
    for (let i = this.rng.int(2, 5); i > 0; i--) lines.add(this.rng.int(0, this.doc.lineCount - 1));
    const changes: TextDocumentContentChangeEvent[] = [];
    for (const line of [...lines].sort((a, b) => b - a)) {
      const start = { line, character: 0 };
      const end = token === '' ? { line, character: this.rng.int(0, 2) } : start;
      changes.push(...this.apply({ range: { start, end }, text: token }));
    }
    return changes;
  }

  private paste(): TextDocumentContentChangeEvent[] {
    const line = this.rng.int(0, this.doc.lineCount - 1);
    const text = withLineEndings(this.rng.pick(SEED_TEXTS), eolOf(this.doc.getText()));
    return this.apply({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text });
  }
}

/** Tokens a person types while editing concurrent Python. */
const TYPED = [
  'x', 'x', 'x', '_', '.', '(', ')', ':', ',', ' ', '\n', '\n    ', '#', '"', 'await ', 'async ', 'time.sleep(1)',
  'threading.Thread(target=work)', 't.start()', 'lock.acquire()', 'with lock:\n        pass', 'import time\n',
  'asyncio.create_task(job())', '# noqa', 'self.lock = threading.Lock()', 'return', 'global g\n',
];

/** A typing-like change: a character or token typed, a character or a line deleted. */
export function typingChange(rng: Random, doc: TextDocument): TextDocumentContentChangeEvent {
  const text = doc.getText();
  const offset = rng.int(0, text.length);
  const at = doc.positionAt(offset);
  const kind = rng.weighted({ type: 6, erase: 4, line: 0.5 });
  if (kind === 'type') return { range: { start: at, end: at }, text: rng.pick(TYPED) };
  if (kind === 'erase') return { range: { start: at, end: doc.positionAt(Math.min(text.length, offset + rng.int(1, 3))) }, text: '' };
  const line = at.line;
  return { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' };
}
