// Hover: the coaching text for concurrency APIs, a flagged range's rule, and rule codes in `# noqa:` comments.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MarkupKind, type Connection, type Hover, type Position, type Range } from 'vscode-languageserver';
import type { Node } from '../trees';
import type { Finding } from '../rules/rule';
import type { PythonDocument } from '../documents';
import type { ServerDeps } from '../serverDeps';
import type { PythonTarget } from '../pythonVersion';
import { ModuleIndex } from '../semantic/module';
import { KEYWORD_KEYS, LOOP_FACTORIES, lookupApi, lookupLoopMethod, type ApiEntry } from '../coaching/apis';
import { renderApiHover } from '../coaching/hoverText';
import { findRule } from '../rules/index';
import { rulePage } from '../cli/docs';
import { docsRoot, ruleDocsUri } from '../engine';
import type { ImportBinding } from '../semantic/imports';
import { analyzeDocument, isNotebookCell, notebookImports } from './diagnostics';
import { keepRecentSyntax } from '../incremental/recentSyntax';
import { comparePositions, rangeOf } from '../text/positions';

/** An API under the cursor: its entry, the text as written, and the token hovered. */
export interface ApiHit {
  entry: ApiEntry;
  written: string;
  token: Node;
}

const LOOP_TYPES = new Set(['asyncio.AbstractEventLoop', 'asyncio.BaseEventLoop', 'asyncio.events.AbstractEventLoop']);
// Same shape as the pattern in rules/suppression.ts, with indices to find each listed code.
const NOQA = /#\s*noqa\b(?::\s*([A-Za-z][\w-]*(?:\s*,?\s*[A-Za-z][\w-]*)*))?/id;
const SECTIONS = ['What it does', 'Why is this bad?', 'Use instead'];

/** A rule's page; a code not (yet) in the registry links to the guide's rule index instead. */
function ruleHref(code: string): string {
  if (findRule(code)) return ruleDocsUri(code);
  return `${pathToFileURL(path.join(docsRoot(), 'docs', 'guide.md')).toString()}#10-rule-index`;
}

const written = (node: Node): string => node.text.replace(/\s+/g, '');

/** True when the expression is an event loop: a loop factory call, or a name bound or annotated as one. */
function isLoop(module: ModuleIndex, expr: Node, depth = 0): boolean {
  if (depth > 8) return false;
  if (expr.type === 'call') {
    const callee = expr.childForFieldName('function');
    const qualified = callee ? module.resolve(callee) : undefined;
    return qualified !== undefined && LOOP_FACTORIES.includes(qualified);
  }
  if (expr.type === 'identifier') {
    const found = module.lookup(expr.text, expr);
    if (!found || found.bindings.length === 0) return false;
    return found.bindings.every((b) => {
      if (b.how === 'assign' && b.value) return isLoop(module, b.value, depth + 1);
      const annotation = b.how === 'param' ? b.node.parent?.childForFieldName('type')?.namedChild(0) : undefined;
      const qualified = annotation ? module.resolve(annotation) : undefined;
      return qualified !== undefined && LOOP_TYPES.has(qualified);
    });
  }
  if (expr.type === 'attribute') {
    // `self._loop`, assigned a loop somewhere in the same class.
    const object = expr.childForFieldName('object');
    const cls = object?.type === 'identifier' && object.text === 'self' ? module.classOfSelf(object) : undefined;
    if (!cls) return false;
    const values = module.everyOf('assignment').filter((a) => {
      const left = a.childForFieldName('left');
      if (left?.type !== 'attribute' || written(left) !== written(expr)) return false;
      return module.classOfSelf(left.childForFieldName('object')!)?.id === cls.id;
    });
    return values.length > 0 && values.every((a) => {
      const right = a.childForFieldName('right');
      return right !== null && isLoop(module, right, depth + 1);
    });
  }
  return false;
}

/** `import a.b`, `from a import b as c`: the API a name in an import statement stands for. */
function importedApi(leaf: Node): ApiEntry | undefined {
  let node: Node | null = leaf;
  while (node && node.type !== 'import_statement' && node.type !== 'import_from_statement') {
    if (!['identifier', 'dotted_name', 'aliased_import'].includes(node.type)) return undefined;
    node = node.parent;
  }
  if (!node) return undefined;
  const statement = node;
  let item = leaf.parent?.type === 'dotted_name' ? leaf.parent : leaf;
  if (item.parent?.type === 'aliased_import') item = item.parent.childForFieldName('name') ?? item;
  if (item.type !== 'dotted_name') return undefined;
  // The dotted name up to the hovered part (`concurrent.futures` in `concurrent.futures.thread`), then all of it.
  const upTo = item.id === leaf.parent?.id ? item.text.slice(0, leaf.endIndex - item.startIndex) : item.text;
  const moduleNode = statement.childForFieldName('module_name');
  if (statement.type === 'import_from_statement' && moduleNode?.id !== item.id) {
    if (!moduleNode || moduleNode.type === 'relative_import') return undefined;
    return lookupApi(`${moduleNode.text}.${item.text}`);
  }
  return lookupApi(upTo) ?? lookupApi(item.text);
}

/** The concurrency API at a leaf token: a keyword, a name in an import, or a name/attribute chain in code. */
export function apiAt(module: ModuleIndex, leaf: Node): ApiHit | undefined {
  if (leaf.type === 'async' && leaf.parent?.type === 'function_definition') {
    return { entry: lookupApi(KEYWORD_KEYS.async)!, written: 'async', token: leaf };
  }
  if (leaf.type === 'await' && leaf.childCount === 0) {
    return { entry: lookupApi(KEYWORD_KEYS.await)!, written: 'await', token: leaf };
  }
  if (leaf.type !== 'identifier') return undefined;
  const imported = importedApi(leaf);
  if (imported) return { entry: imported, written: leaf.text, token: leaf };
  // `asyncio.gather`: hovering either part explains the longest chain that is a known API.
  const parent = leaf.parent;
  if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === leaf.id) return undefined;
  const chain: Node[] = [leaf];
  while (chain[chain.length - 1].parent?.type === 'attribute') chain.push(chain[chain.length - 1].parent!);
  // The `attribute` part of `x.Lock` is no name on its own: only the whole chain resolves.
  if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === leaf.id) chain.shift();
  for (const node of chain.reverse()) {
    const qualified = module.resolve(node);
    let entry = qualified ? lookupApi(qualified) : undefined;
    if (!entry && node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const method = node.childForFieldName('attribute')?.text;
      if (object && method && isLoop(module, object)) entry = lookupLoopMethod(method);
    }
    if (entry) return { entry, written: written(node), token: leaf };
  }
  return undefined;
}

/** A rule code or name inside a `# noqa:` comment, with its range. */
export function noqaCodeAt(comment: Node, position: Position): { code: string; range: Range } | undefined {
  const match = NOQA.exec(comment.text);
  const list = match?.indices?.[1];
  if (!match || !list) return undefined;
  const line = comment.startPosition.row;
  for (const token of match[1].matchAll(/[A-Za-z][\w-]*/g)) {
    const start = comment.startPosition.column + list[0] + token.index;
    const end = start + token[0].length;
    if (position.line === line && position.character >= start && position.character < end) {
      return { code: token[0], range: { start: { line, character: start }, end: { line, character: end } } };
    }
  }
  return undefined;
}

/** The sections of a rule's docs, by heading; headings inside code fences do not count. */
function docSections(docs: string): Map<string, string> {
  const sections = new Map<string, string>();
  let heading: string | undefined;
  let body: string[] = [];
  let fenced = false;
  const flush = () => {
    if (heading) sections.set(heading, body.join('\n').trim());
  };
  for (const line of docs.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : /^## (.+)$/.exec(line);
    if (m) {
      flush();
      heading = m[1].trim();
      body = [];
    } else {
      body.push(line);
    }
  }
  flush();
  return sections;
}

/** A flagged range's hover: the rule's What it does / Why is this bad? / Use instead, and a docs link. */
export function renderRuleHover(finding: Finding): string {
  const rule = findRule(finding.code);
  const blocks = [`**${finding.code}** \`${finding.name}\`: ${finding.message}`];
  const sections = rule ? docSections(rule.docs) : new Map<string, string>();
  for (const title of SECTIONS) {
    const text = sections.get(title);
    if (text) blocks.push(`#### ${title}\n\n${text}`);
  }
  blocks.push(`[Full documentation for ${finding.code}](${ruleDocsUri(finding.code)})`);
  return blocks.join('\n\n');
}

function covers(range: Range, position: Position): boolean {
  if (comparePositions(range.start, range.end) === 0) return comparePositions(range.start, position) === 0;
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) < 0;
}

function contains(node: Node, position: Position): boolean {
  return covers(rangeOf(node), position);
}

const indexes = new WeakMap<Node, ModuleIndex>();

/** The index of the document's current syntax; a notebook cell's also resolves the other cells' imports (not kept: they change). */
function moduleIndex(doc: PythonDocument, shared: readonly ImportBinding[]): ModuleIndex {
  if (shared.length) return new ModuleIndex(doc.text, doc.syntax, shared);
  let index = indexes.get(doc.syntax);
  if (!index) indexes.set(doc.syntax, (index = new ModuleIndex(doc.text, doc.syntax)));
  return index;
}

/**
 * The hover for a position, from the document's current tree, findings and assumed Python;
 * `shared`: imports made elsewhere in the same namespace (a notebook's other cells).
 */
export function hoverAt(doc: PythonDocument, position: Position, findings: Finding[], python: PythonTarget, shared: readonly ImportBinding[] = []): Hover | null {
  const lineEnd = (doc.lineStarts[position.line + 1] ?? doc.text.length) - (doc.lineStarts[position.line] ?? 0);
  if (position.line < 0 || position.line >= doc.lineStarts.length || position.character < 0 || position.character > lineEnd) return null;
  const leaf = doc.syntax.descendantForPosition({ row: position.line, column: position.character });
  if (leaf?.type === 'comment' && contains(leaf, position)) {
    const noqa = noqaCodeAt(leaf, position);
    const rule = noqa && findRule(noqa.code);
    if (noqa && rule) {
      const page = `${rulePage(rule).trimEnd()}\n\n[Open ${rule.code}.md](${ruleDocsUri(rule.code)})`;
      return { contents: { kind: MarkupKind.Markdown, value: page }, range: noqa.range };
    }
  }
  const flagged = findings.filter((f) => covers(f.range, position));
  const seen = new Set<string>();
  const rules = flagged.filter((f) => !seen.has(f.code) && seen.add(f.code));
  const api = leaf && contains(leaf, position) ? apiAt(moduleIndex(doc, shared), leaf) : undefined;
  const blocks = rules.map(renderRuleHover);
  if (api) blocks.push(renderApiHover(api.entry, python, { written: api.written, ruleHref }));
  if (blocks.length === 0) return null;
  const smallest = [...flagged].sort((a, b) => comparePositions(b.range.start, a.range.start) || comparePositions(a.range.end, b.range.end))[0];
  return {
    contents: { kind: MarkupKind.Markdown, value: blocks.join('\n\n---\n\n') },
    range: api ? rangeOf(api.token) : smallest.range,
  };
}

async function currentFindings(deps: ServerDeps, doc: PythonDocument): Promise<Finding[] | undefined> {
  const cached = deps.findings.get(doc.uri);
  if (cached && cached.version === doc.version) return cached.findings;
  return analyzeDocument(deps, doc);
}

export function register(connection: Connection, deps: ServerDeps): void {
  connection.onHover(async (params, token) => {
    try {
      const doc = deps.documents.get(params.textDocument.uri);
      if (!doc) return null;
      const version = doc.version;
      const config = await deps.config.get(doc.uri);
      if (!config.settings.enable || doc.text.length > config.settings.maxFileSize) return null;
      const findings = await currentFindings(deps, doc);
      const current = () => !token.isCancellationRequested && deps.documents.get(doc.uri) === doc && doc.version === version;
      if (!findings || !current()) return null;
      const shared = isNotebookCell(doc.uri) ? notebookImports(deps, doc) : [];
      const hover = hoverAt(doc, params.position, findings, config.options.python, shared);
      keepRecentSyntax(doc); // the hover built its syntax: count it among the kept ones
      return current() ? hover : null;
    } catch (error) {
      connection.console.error(`Hover failed on ${params.textDocument.uri}: ${error instanceof Error ? error.stack : String(error)}`);
      return null;
    }
  });
}
