// Where to add import lines to a Python file: once, after the shebang, encoding line,
// module docstring and `from __future__` imports, beside the imports already there.
// Works on plain text with a small line scanner (strings, brackets, continuations);
// no parser needed, so the client can bundle it too.

/** Insert `text` at the start of 0-based `line` of the original text. */
export interface ImportInsertion {
  /**
   * 0-based line of the original text. Equal to the line count only when the file
   * does not end with a line break; `text` then starts with one (clients clamp the
   * position to the end of the document).
   */
  line: number;
  /** Whole lines, each ending with the file's line break. */
  text: string;
}

interface ImportedModule { module: string; alias?: string }
interface ImportedName { name: string; alias?: string }
interface PlainImport { kind: 'import'; modules: ImportedModule[] }
interface FromImport { kind: 'from'; module: string; names: ImportedName[] }
type ImportStatement = PlainImport | FromImport;

/** One logical statement: physical lines first..last, comments removed. */
interface Statement { first: number; last: number; indent: number; code: string }

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Plans the edits that add `importLines` (full statements such as `import threading` or
 * `from concurrent.futures import ThreadPoolExecutor, as_completed`) to `sourceText`.
 *
 * - An import whose names are already bound the same way is skipped; from a partly
 *   present `from x import a, b` only the missing names are added.
 * - New lines go after the last import of the top-of-file import block; a `from x import`
 *   goes after an existing `from x import` line of that block. Without such a block they
 *   start a new section after the header, padded with blank lines.
 * - Line numbers refer to the original text; several insertions at one line are merged.
 *
 * Throws when an entry of `importLines` is not an import statement.
 */
export function planImportInsertions(sourceText: string, importLines: readonly string[]): ImportInsertion[] {
  const wanted = importLines.map(parseRequired);
  const lines = sourceText.replace(/^\uFEFF/, '').split(LINE_BREAK);
  const eol = LINE_BREAK.exec(sourceText)?.[0] ?? '\n';
  const layout = readLayout(lines);
  const missing = mergeStatements(wanted.flatMap((stmt) => missingParts(stmt, layout.existing)));
  if (missing.length === 0) return [];

  const groups = new Map<number, string[]>();
  const add = (line: number, text: string) => groups.set(line, [...(groups.get(line) ?? []), text]);
  for (const stmt of missing.filter(isFuture)) add(layout.futureAnchor, render(stmt));
  for (const stmt of missing.filter((s) => !isFuture(s))) add(anchorFor(stmt, layout), render(stmt));

  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([line, texts]) => {
      const padded = line === layout.freshSection ? padSection(lines, layout, line, texts) : texts;
      return finish(lines, line, padded, eol);
    });
}

/** The import lines of `importLines` (possibly narrowed to the missing names) that `sourceText` still lacks. */
export function missingImportLines(sourceText: string, importLines: readonly string[]): string[] {
  const layout = readLayout(sourceText.replace(/^\uFEFF/, '').split(LINE_BREAK));
  return mergeStatements(importLines.map(parseRequired).flatMap((stmt) => missingParts(stmt, layout.existing))).map(render);
}

// ---------------------------------------------------------------- layout

interface Layout {
  statements: Statement[];
  /** Imports that bind names for the whole module. */
  existing: ImportStatement[];
  /** Top-of-file import block (after docstring and __future__), possibly empty. */
  topImports: { stmt: Statement; parsed: ImportStatement[] }[];
  /** Line where new `from __future__` imports go. */
  futureAnchor: number;
  /** Line where a new import section starts when there is no import block; -1 when there is one. */
  freshSection: number;
}

function readLayout(lines: string[]): Layout {
  const statements = scanStatements(lines);
  const topLevel = statements.filter((s) => s.indent === 0);
  const minLine = headerLines(lines);

  let next = 0;
  let docEnd = -1;
  if (topLevel[0] && isStringOnly(topLevel[0].code)) docEnd = topLevel[next++].last + 1;
  let futureEnd = -1;
  while (next < topLevel.length && parseImports(topLevel[next].code)?.every(isFuture)) futureEnd = topLevel[next++].last + 1;

  const topImports: Layout['topImports'] = [];
  for (; next < topLevel.length; next++) {
    const parsed = parseImports(topLevel[next].code);
    if (!parsed || parsed.some(isFuture)) break;
    topImports.push({ stmt: topLevel[next], parsed });
  }

  const afterHeader = Math.max(minLine, docEnd, futureEnd);
  let freshSection = -1;
  if (topImports.length === 0) {
    freshSection = docEnd >= 0 || futureEnd >= 0 ? afterHeader : unheadedStart(lines, statements, minLine);
  }
  let futureAnchor: number;
  if (futureEnd >= 0 || docEnd >= 0) futureAnchor = afterHeader;
  else if (topImports.length > 0) futureAnchor = Math.max(minLine, topImports[0].stmt.first);
  else futureAnchor = freshSection;

  return { statements, existing: moduleImports(statements), topImports, futureAnchor, freshSection };
}

/** Lines that must stay first: a shebang and a PEP 263 encoding declaration. */
function headerLines(lines: string[]): number {
  let min = 0;
  if (lines[0]?.startsWith('#!')) min = 1;
  const encoding = /^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+/;
  if (encoding.test(lines[0] ?? '')) min = 1;
  else if (encoding.test(lines[1] ?? '') && /^[ \t\f]*(#.*)?$/.test(lines[0] ?? '')) min = 2;
  return min;
}

/**
 * Without docstring, __future__ or imports: after the top comments (a licence, say), but
 * before a comment paragraph that sits directly on the first statement.
 */
function unheadedStart(lines: string[], statements: Statement[], minLine: number): number {
  const first = statements[0];
  if (!first) {
    let last = lines.length - 1;
    while (last >= minLine && lines[last].trim() === '') last--;
    return Math.max(minLine, last + 1);
  }
  let start = first.first;
  while (start - 1 >= minLine && /^\s*#/.test(lines[start - 1])) start--;
  return Math.max(minLine, start);
}

/** Module-level imports, and imports directly inside a module-level `try:` (optional dependencies). */
function moduleImports(statements: Statement[]): ImportStatement[] {
  const found: ImportStatement[] = [];
  let inTry = false;
  let bodyIndent: number | undefined;
  for (const stmt of statements) {
    if (stmt.indent === 0) {
      inTry = /^try\s*:$/.test(stmt.code.trim());
      bodyIndent = undefined;
      found.push(...(parseImports(stmt.code) ?? []));
    } else if (inTry) {
      bodyIndent ??= stmt.indent;
      if (stmt.indent === bodyIndent) found.push(...(parseImports(stmt.code) ?? []));
    }
  }
  return found;
}

// ---------------------------------------------------------------- scanning

/**
 * Splits physical lines into logical statements, skipping blank and comment-only lines.
 * Tracks strings (including triple-quoted ones spanning lines), brackets and backslash
 * continuations; comments are cut from `code`.
 */
function scanStatements(lines: string[]): Statement[] {
  return scan(lines).statements;
}

/**
 * True when the scan of the text ends inside a string, brackets or a continued line: then the text
 * changes how the scan reads the lines after it (a statement's text that leaves it closed does not).
 */
export function leavesScanOpen(text: string): boolean {
  return scan(text.split(LINE_BREAK)).open;
}

function scan(lines: string[]): { statements: Statement[]; open: boolean } {
  const statements: Statement[] = [];
  let quote: string | undefined;
  let depth = 0;
  let continued = false;
  let current: Statement | undefined;
  lines.forEach((line, row) => {
    if (!quote && depth === 0 && !continued) {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) {
        current = undefined;
        return;
      }
      current = { first: row, last: row, indent: /^[ \t\f]*/.exec(line)![0].length, code: '' };
      statements.push(current);
    }
    continued = false;
    let end = line.length;
    let escapedBreak = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quote) {
        if (ch === '\\') {
          if (i === line.length - 1) escapedBreak = true;
          i++;
        } else if (line.startsWith(quote, i)) {
          i += quote.length - 1;
          quote = undefined;
        }
      } else if (ch === '#') {
        end = i;
        break;
      } else if (ch === '"' || ch === "'") {
        quote = line.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
        i += quote.length - 1;
      } else if (ch === '(' || ch === '[' || ch === '{') {
        depth++;
      } else if (ch === ')' || ch === ']' || ch === '}') {
        depth = Math.max(0, depth - 1);
      } else if (ch === '\\' && i === line.length - 1) {
        continued = true;
      }
    }
    // A one-quote string cannot cross a line break unless the break is escaped.
    if (quote && quote.length === 1 && !escapedBreak) quote = undefined;
    if (current) {
      current.last = row;
      current.code += (current.first === row ? '' : '\n') + line.slice(0, end);
    }
  });
  return { statements, open: quote !== undefined || depth > 0 || continued };
}

/** True for a statement made only of string literals: the module docstring. */
function isStringOnly(code: string): boolean {
  let i = 0;
  let strings = 0;
  for (;;) {
    while (i < code.length && /[\s\\]/.test(code[i])) i++;
    if (i === code.length) return strings > 0;
    const prefix = /^[rRuUbBfF]{0,2}("""|'''|"|')/.exec(code.slice(i));
    if (!prefix) return false;
    const quote = prefix[1];
    i += prefix[0].length;
    while (i < code.length && !code.startsWith(quote, i)) i += code[i] === '\\' ? 2 : 1;
    if (i >= code.length) return false;
    i += quote.length;
    strings++;
  }
}

// ---------------------------------------------------------------- import statements

/** Parses an import statement (`a; b` allowed); undefined when any part is something else. */
function parseImports(code: string): ImportStatement[] | undefined {
  const flat = code.replace(/\\\r?\n|\\$/gm, ' ').replace(/\s+/g, ' ').trim();
  if (!/^(import|from)\b/.test(flat)) return undefined;
  const parts = flat.split(';').map((p) => p.trim()).filter(Boolean);
  const parsed = parts.map(parseImportPart);
  return parsed.every((p): p is ImportStatement => p !== undefined) ? parsed : undefined;
}

function parseImportPart(part: string): ImportStatement | undefined {
  const plain = /^import (.+)$/.exec(part);
  if (plain) {
    const modules: ImportedModule[] = [];
    for (const item of plain[1].split(',')) {
      const m = /^([\w.]+)(?: as (\w+))?$/u.exec(item.replace(/\s*\.\s*/g, '.').trim());
      if (!m) return undefined;
      modules.push({ module: m[1], alias: m[2] === m[1] ? undefined : m[2] });
    }
    return { kind: 'import', modules };
  }
  const from = /^from ?([\w. ]*?) ?\bimport\b ?(.+)$/u.exec(part);
  if (!from) return undefined;
  const module = from[1].replace(/ /g, '');
  if (!/^\.*[\w.]*$/u.test(module) || module === '') return undefined;
  const names: ImportedName[] = [];
  for (const item of from[2].replace(/[()]/g, ' ').split(',')) {
    if (item.trim() === '') continue;
    const m = /^(\w+|\*)(?: as (\w+))?$/u.exec(item.trim());
    if (!m) return undefined;
    names.push({ name: m[1], alias: m[2] === m[1] ? undefined : m[2] });
  }
  return names.length ? { kind: 'from', module, names } : undefined;
}

function parseRequired(line: string): ImportStatement {
  const parsed = parseImports(line);
  if (!parsed || parsed.length !== 1) throw new Error(`Not a single import statement: ${JSON.stringify(line)}`);
  return parsed[0];
}

function isFuture(stmt: ImportStatement): boolean {
  return stmt.kind === 'from' && stmt.module === '__future__';
}

/** The part of `stmt` whose bindings `existing` does not already provide. */
function missingParts(stmt: ImportStatement, existing: ImportStatement[]): ImportStatement[] {
  if (stmt.kind === 'import') {
    const modules = stmt.modules.filter((want) => !existing.some((e) => e.kind === 'import' && e.modules.some((have) => coversModule(have, want))));
    return modules.length ? [{ kind: 'import', modules }] : [];
  }
  const names = stmt.names.filter(
    (want) => !existing.some((e) => e.kind === 'from' && e.module === stmt.module && e.names.some((have) => have.name === want.name && have.alias === want.alias)),
  );
  return names.length ? [{ kind: 'from', module: stmt.module, names }] : [];
}

/** `import a.b.c` also makes `a.b` reachable as `a.b`; an alias must match exactly. */
function coversModule(have: ImportedModule, want: ImportedModule): boolean {
  if (have.alias !== want.alias) return false;
  return have.module === want.module || (want.alias === undefined && have.module.startsWith(want.module + '.'));
}

/** Drops repeats and joins `from x import a` with `from x import b`, keeping first-seen order. */
function mergeStatements(stmts: ImportStatement[]): ImportStatement[] {
  const merged: ImportStatement[] = [];
  for (const stmt of stmts) {
    if (stmt.kind === 'import') {
      for (const mod of stmt.modules) {
        const seen = merged.some((m) => m.kind === 'import' && m.modules.some((x) => x.module === mod.module && x.alias === mod.alias));
        if (!seen) merged.push({ kind: 'import', modules: [mod] });
      }
      continue;
    }
    let into = merged.find((m): m is FromImport => m.kind === 'from' && m.module === stmt.module);
    if (!into) {
      into = { kind: 'from', module: stmt.module, names: [] };
      merged.push(into);
    }
    for (const name of stmt.names) {
      if (!into.names.some((n) => n.name === name.name && n.alias === name.alias)) into.names.push(name);
    }
  }
  return merged;
}

function render(stmt: ImportStatement): string {
  const as = (name: string, alias?: string) => (alias ? `${name} as ${alias}` : name);
  if (stmt.kind === 'import') return `import ${stmt.modules.map((m) => as(m.module, m.alias)).join(', ')}`;
  return `from ${stmt.module} import ${stmt.names.map((n) => as(n.name, n.alias)).join(', ')}`;
}

// ---------------------------------------------------------------- placing

function anchorFor(stmt: ImportStatement, layout: Layout): number {
  if (layout.topImports.length === 0) return layout.freshSection;
  if (stmt.kind === 'from') {
    const sameModule = layout.topImports.filter((t) => t.parsed.some((p) => p.kind === 'from' && p.module === stmt.module));
    if (sameModule.length) return sameModule[sameModule.length - 1].stmt.last + 1;
  }
  return layout.topImports[layout.topImports.length - 1].stmt.last + 1;
}

/** A new import section: a blank line before it after a header, blank lines after it before code. */
function padSection(lines: string[], layout: Layout, line: number, texts: string[]): string[] {
  const before = line > 0 && line <= lines.length && lines[line - 1].trim() !== '' ? [''] : [];
  let after: string[] = [];
  if (line < lines.length && lines[line].trim() !== '') {
    const next = layout.statements.find((s) => s.first >= line);
    const definition = next && next.indent === 0 && /^(@|def\b|class\b|async\s+def\b)/.test(next.code);
    after = definition ? ['', ''] : [''];
  }
  return [...before, ...texts, ...after];
}

function finish(lines: string[], line: number, texts: string[], eol: string): ImportInsertion {
  const body = texts.map((t) => t + eol).join('');
  // Past the last line, which has no line break: end that line first.
  return line >= lines.length ? { line: lines.length, text: eol + body } : { line, text: body };
}
