// The nearest pyproject.toml above a document: requires-python and the [tool.concurrency-coach] table.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };

// smol-toml's typings are ESM-only, but its package also exports a CommonJS build (`require` → dist/index.cjs).
const { parse, TomlError } = require('smol-toml') as typeof SmolToml;

export interface PyprojectInfo {
  /** Absolute path of the pyproject.toml file. */
  path: string;
  /** Lowest 3.x version `[project] requires-python` allows (`>=3.10` → `3.10`), when it is usable. */
  requiresPython?: string;
  /** The `[tool.concurrency-coach]` table, when present. */
  tool?: Record<string, unknown>;
  /** What is wrong with the file, one sentence each; never thrown. */
  problems: string[];
}

const FILE_NAME = 'pyproject.toml';
const EXPECTED = 'expected a version specifier like ">=3.10", "~=3.11" or ">=3.9,<4"';

type Version = number[];

interface Clause {
  op: string;
  version: Version;
  /** `==3.10.*` / `!=3.10.*`: a prefix match. */
  wildcard: boolean;
}

// PEP 440 clause; pre-, post- and dev-release suffixes are accepted and ignored.
const CLAUSE = /^(~=|===|==|!=|<=|>=|<|>)\s*v?(\d+(?:\.\d+)*)(\.\*)?(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview|post|rev|r|dev)[-_.]?\d*)*(?:\+[a-z0-9.]+)?$/i;

function compare(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function hasPrefix(v: Version, prefix: Version): boolean {
  return prefix.every((part, i) => (v[i] ?? 0) === part);
}

function parseClause(text: string): Clause | undefined {
  const m = CLAUSE.exec(text.trim());
  if (!m) return undefined;
  const clause = { op: m[1], version: m[2].split('.').map(Number), wildcard: !!m[3] };
  if (clause.wildcard && clause.op !== '==' && clause.op !== '!=') return undefined;
  if (clause.op === '~=' && clause.version.length < 2) return undefined;
  return clause;
}

function allows(clause: Clause, v: Version): boolean {
  const { op, version } = clause;
  if (clause.wildcard) return op === '==' ? hasPrefix(v, version) : !hasPrefix(v, version);
  const c = compare(v, version);
  switch (op) {
    case '==': case '===': return c === 0;
    case '!=': return c !== 0;
    case '<=': return c <= 0;
    case '>=': return c >= 0;
    case '<': return c < 0;
    case '>': return c > 0;
    default: // ~=X.Y.Z: >= X.Y.Z and == X.Y.*
      return c >= 0 && hasPrefix(v, version.slice(0, -1));
  }
}

/**
 * The lowest Python 3 minor version a PEP 440 specifier allows: `>=3.10` → `3.10`, `~=3.11` → `3.11`,
 * `>=3.9,<4` → `3.9`. A string explaining the problem when the specifier is invalid or allows no 3.x.
 */
export function lowestPython3(specifier: string): { version: string } | { problem: string } {
  const parts = specifier.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) return { problem: `it is empty or has an empty clause; ${EXPECTED}` };
  const clauses: Clause[] = [];
  for (const part of parts) {
    const clause = parseClause(part);
    if (!clause) return { problem: `"${part}" is not a version clause; ${EXPECTED}` };
    clauses.push(clause);
  }
  if (!clauses.some((c) => ['>=', '>', '==', '===', '~='].includes(c.op))) {
    return { problem: `it sets no lower bound; ${EXPECTED}` };
  }
  // Within one minor version the allowed set changes only at versions the clauses name, so
  // checking .0, each named micro and the one after it, and a very late micro is enough.
  for (let minor = 0; minor < 100; minor++) {
    const micros = new Set([0, 1, 9999]);
    for (const c of clauses) {
      if (c.version[0] === 3 && c.version[1] === minor && c.version.length > 2) {
        micros.add(c.version[2]);
        micros.add(c.version[2] + 1);
      }
    }
    for (const micro of micros) {
      if (clauses.every((c) => allows(c, [3, minor, micro]))) return { version: `3.${minor}` };
    }
  }
  return { problem: `it allows no Python 3 version; ${EXPECTED}` };
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Reads one pyproject.toml text. `file` is used in messages only. */
export function readPyproject(text: string, file: string): PyprojectInfo {
  const info: PyprojectInfo = { path: file, problems: [] };
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '') : String(error);
    const line = error instanceof TomlError ? ` line ${error.line}` : '';
    info.problems.push(`pyproject.toml${line}: ${reason} (${file}); its settings are ignored.`);
    return info;
  }
  if (!isTable(doc)) return info;
  const project = doc.project;
  const requires = isTable(project) ? project['requires-python'] : undefined;
  if (requires !== undefined) {
    const where = `[project] requires-python in ${file}`;
    if (typeof requires !== 'string') {
      info.problems.push(`${where} must be a string such as ">=3.10"; using the default Python.`);
    } else {
      const lowest = lowestPython3(requires);
      if ('version' in lowest) info.requiresPython = lowest.version;
      else info.problems.push(`${where} is ${JSON.stringify(requires)}, which cannot be used: ${lowest.problem}. Using the default Python.`);
    }
  }
  const tool = isTable(doc.tool) ? doc.tool['concurrency-coach'] : undefined;
  if (isTable(tool)) info.tool = structuredClone(tool); // plain objects, not smol-toml's null-prototype ones
  else if (tool !== undefined) info.problems.push(`[tool.concurrency-coach] in ${file} must be a table; it is ignored.`);
  return info;
}

const cache = new Map<string, { mtimeMs: number; size: number; info: PyprojectInfo }>();

function statFile(file: string): fs.Stats | undefined {
  try {
    const stats = fs.statSync(file);
    return stats.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a pyproject.toml, reusing the cached result (the same object) while its mtime and size are unchanged. */
function load(file: string, stats: fs.Stats): PyprojectInfo {
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.info;
  let info: PyprojectInfo;
  try {
    info = readPyproject(fs.readFileSync(file, 'utf8'), file);
  } catch (error) {
    info = { path: file, problems: [`Could not read ${file}: ${error instanceof Error ? error.message : String(error)}`] };
  }
  cache.set(file, { mtimeMs: stats.mtimeMs, size: stats.size, info });
  return info;
}

/**
 * The nearest pyproject.toml walking up from the document's folder to the filesystem root.
 * Only `file:` URIs have one. While the file is unchanged, the same object is returned.
 */
export function findPyproject(documentUri: string): PyprojectInfo | undefined {
  let dir: string;
  try {
    if (!documentUri.startsWith('file:')) return undefined;
    dir = path.dirname(fileURLToPath(documentUri));
  } catch {
    return undefined;
  }
  for (;;) {
    const file = path.join(dir, FILE_NAME);
    const stats = statFile(file);
    if (stats) return load(file, stats);
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
