// `[tool.concurrency-coach]` in pyproject.toml, and how it combines with editor settings or CLI flags.
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { PyprojectInfo } from './pyproject';
import type { CoachSettings } from './settings';
import { resolveSelection, type RuleSelection } from './selection';
import { DEFAULT_PYTHON, parsePythonVersion, type PythonTarget } from '../pythonVersion';

export interface ProjectSettings {
  /** Folder of the pyproject.toml: `exclude` and `per-file-ignores` patterns are relative to it. */
  root: string;
  select?: string[];
  ignore?: string[];
  severity?: Record<string, string>;
  pythonVersion?: string;
  exclude: string[];
  perFileIgnores: { pattern: string; rules: string[] }[];
}

const KEYS = ['select', 'ignore', 'severity', 'python-version', 'exclude', 'per-file-ignores'];

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

/** Validates the table; each problem names the key and the expected form, and that key is ignored. */
export function readProjectSettings(info: PyprojectInfo): { project: ProjectSettings; problems: string[] } {
  const table = info.tool ?? {};
  const where = (key: string) => `[tool.concurrency-coach] ${key} in ${info.path}`;
  const problems: string[] = [];
  const project: ProjectSettings = { root: path.dirname(info.path), exclude: [], perFileIgnores: [] };
  for (const key of Object.keys(table)) {
    if (!KEYS.includes(key)) problems.push(`Unknown key ${where(key)}: expected one of ${KEYS.join(', ')}; it is ignored.`);
  }
  for (const key of ['select', 'ignore', 'exclude'] as const) {
    if (table[key] === undefined) continue;
    const list = strings(table[key]);
    if (!list) problems.push(`${where(key)} must be a list of strings, like ["PCC1", "worker-never-joined"]; it is ignored.`);
    else if (key === 'exclude') project.exclude = list;
    else project[key] = list;
  }
  const severity = table.severity;
  if (severity !== undefined) {
    if (typeof severity === 'object' && severity !== null && !Array.isArray(severity) && Object.values(severity).every((v) => typeof v === 'string')) {
      project.severity = severity as Record<string, string>;
    } else {
      problems.push(`${where('severity')} must be a table of rule = "error" | "warning" | "info" | "off"; it is ignored.`);
    }
  }
  const version = table['python-version'];
  if (version !== undefined) {
    const parsed = parsePythonVersion(version);
    if (parsed) project.pythonVersion = parsed;
    else problems.push(`${where('python-version')} must look like "3.12" (3.9 to 3.14); got ${JSON.stringify(version)}, so it is ignored.`);
  }
  const perFile = table['per-file-ignores'];
  if (perFile !== undefined) {
    const ok = typeof perFile === 'object' && perFile !== null && !Array.isArray(perFile) && Object.values(perFile).every((v) => strings(v));
    if (ok) project.perFileIgnores = Object.entries(perFile as Record<string, string[]>).map(([pattern, rules]) => ({ pattern, rules }));
    else problems.push(`${where('per-file-ignores')} must be a table of "glob" = ["PCC101", ...]; it is ignored.`);
  }
  return { project, problems };
}

/** Matches a file against gitignore-like patterns relative to the project root: `tests/**`, `*_pb2.py`, `build`. */
export function matchesAny(project: ProjectSettings, file: string, patterns: string[]): boolean {
  if (patterns.length === 0) return false;
  const relative = path.relative(project.root, file).split(path.sep).join('/');
  if (relative.startsWith('..')) return false;
  const parts = relative.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/')); // the file and each folder above it
  return patterns.some((pattern) => {
    const isMatch = picomatch(pattern.replace(/^\.\//, '').replace(/\/$/, ''), { dot: true, basename: !pattern.includes('/') });
    return candidates.some((c) => isMatch(c));
  });
}

export interface EffectiveConfig {
  selection: RuleSelection;
  python: PythonTarget;
  excluded: boolean;
  problems: string[];
}

/**
 * Combines the project's settings with the editor's (or the CLI's): those override the project per key;
 * `ignore` adds to the project's; per-file ignores apply to the file.
 */
export function effectiveConfig(settings: CoachSettings, info: PyprojectInfo | undefined, file: string | undefined, settingsName: 'concurrencyCoach.' | '--'): EffectiveConfig {
  const { project, problems } = info ? readProjectSettings(info) : { project: undefined, problems: [] };
  const perFile = project && file ? project.perFileIgnores.filter((p) => matchesAny(project, file, [p.pattern])).flatMap((p) => p.rules) : [];
  const select = settings.select ?? project?.select;
  const ignore = [...(project?.ignore ?? []), ...perFile, ...(settings.ignore ?? [])];
  const severity = { ...project?.severity, ...settings.severity };
  // Each source is checked on its own, so a message names where the bad entry is written.
  const ruleProblems = [
    ...(project ? resolveSelection(project.select, project.ignore, project.severity, (key) => `[tool.concurrency-coach] ${key} of ${info!.path}`).problems : []),
    ...resolveSelection(settings.select, settings.ignore, settings.severity, (key) => `${settingsName}${key}`).problems,
  ];
  const { selection } = resolveSelection(select, ignore, severity, String);
  const version = settings.pythonVersion ?? project?.pythonVersion;
  const python: PythonTarget = version
    ? { version, freeThreaded: settings.freeThreaded, source: settings.pythonVersion ? 'setting' : 'pyproject' }
    : info?.requiresPython
      ? { version: info.requiresPython, freeThreaded: settings.freeThreaded, source: 'pyproject' }
      : { ...DEFAULT_PYTHON, freeThreaded: settings.freeThreaded };
  const excluded = !!project && !!file && matchesAny(project, file, project.exclude);
  return { selection, python, excluded, problems: [...(info?.problems ?? []), ...problems, ...ruleProblems] };
}
