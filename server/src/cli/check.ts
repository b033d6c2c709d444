// `concurrency-coach check`: analyse files, print findings, optionally apply safe fixes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createParser } from '../trees';
import { analyzeText, fixText, type EngineConfig } from '../engine';
import { resolveSelection } from '../config/selection';
import { parsePythonVersion } from '../pythonVersion';
import { DEFAULT_SETTINGS, type CoachSettings } from '../config/settings';
import { findPyproject } from '../config/pyproject';
import { effectiveConfig } from '../config/projectConfig';
import { pathToFileURL } from 'node:url';
import { collectFiles, PathError } from './files';
import { ruleHelpUri } from './links';
import { VERSION } from './version';
import { formatSarif, formatText, toJson, type FileFindings } from './formats';

export interface CheckOptions {
  paths: string[];
  format: 'text' | 'json' | 'sarif' | 'github';
  select?: string[];
  ignore?: string[];
  pythonVersion?: string;
  fix: boolean;
  unsafeFixes: boolean;
  exitZero: boolean;
  progress: boolean;
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function githubAnnotations(results: FileFindings[]): string {
  const level: Record<string, string> = { error: 'error', warning: 'warning', info: 'notice' };
  const escape = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return toJson(results)
    .map((f) => `::${level[f.severity]} file=${f.file},line=${f.line},col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn},title=${f.code} ${f.name}::${escape(f.message)}\n`)
    .join('');
}

export async function runCheck(options: CheckOptions): Promise<number> {
  const { problems } = resolveSelection(options.select, options.ignore, undefined, (key) => `--${key}`);
  if (problems.length) throw new PathError(problems.join('\n'));
  const pythonVersion = options.pythonVersion === undefined ? undefined : parsePythonVersion(options.pythonVersion);
  if (options.pythonVersion !== undefined && !pythonVersion) throw new PathError(`--python-version must look like 3.12, got "${options.pythonVersion}"`);
  // Flags play the part of editor settings: they override [tool.concurrency-coach] per key.
  const flags: CoachSettings = { ...DEFAULT_SETTINGS, select: options.select, ignore: options.ignore, pythonVersion };
  const warned = new Set<string>();
  const configFor = (file: string): EngineConfig & { excluded: boolean } => {
    const effective = effectiveConfig(flags, findPyproject(pathToFileURL(path.resolve(file)).toString()), path.resolve(file), '--');
    for (const problem of effective.problems) {
      if (!warned.has(problem)) process.stderr.write(`concurrency-coach: warning: ${problem}\n`);
      warned.add(problem);
    }
    return { selection: effective.selection, options: { python: effective.python, notebook: false }, excluded: effective.excluded };
  };
  const named = new Set(options.paths.map((p) => path.resolve(p)));
  const files = collectFiles(options.paths);
  const parser = await createParser();
  const results: FileFindings[] = [];
  let unreadable = 0;
  let fixed = 0;
  files.forEach((file, i) => {
    if (options.progress && files.length > 20 && i % 20 === 0) process.stderr.write(`\rChecking ${i}/${files.length} files…`);
    let raw: string;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch (error) {
      process.stderr.write(`concurrency-coach: cannot read ${file}: ${(error as Error).message}\n`);
      unreadable++;
      return;
    }
    const config = configFor(file);
    if (config.excluded && !named.has(path.resolve(file))) return; // `exclude` skips what a folder walk finds
    const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
    let text = bom ? raw.slice(1) : raw;
    const analyze = (t: string) => analyzeText(parser, t, config);
    if (options.fix) {
      const result = fixText((t) => analyze(t).findings, text, options.unsafeFixes);
      if (result.applied.length > 0) {
        fs.writeFileSync(file, bom + result.text);
        fixed += result.applied.length;
        text = result.text;
      }
    }
    const { findings, failures } = analyze(text);
    for (const failure of failures) process.stderr.write(`concurrency-coach: rule ${failure.code} failed on ${file}: ${String(failure.error)}\n`);
    if (findings.length) results.push({ file: displayPath(file), lines: text.split(/\r\n|\r|\n/), findings });
  });
  if (options.progress && files.length > 20) process.stderr.write(`\rChecked ${files.length} files.        \n`);
  const out =
    options.format === 'json' ? JSON.stringify(toJson(results), null, 2) + '\n'
    : options.format === 'sarif' ? formatSarif(results, VERSION, ruleHelpUri)
    : options.format === 'github' ? githubAnnotations(results)
    : formatText(results);
  process.stdout.write(out);
  const count = results.reduce((n, r) => n + r.findings.length, 0);
  if (options.format === 'text') {
    const fixedNote = options.fix ? ` (${fixed} fixed)` : '';
    process.stderr.write(count ? `Found ${count} problem${count === 1 ? '' : 's'} in ${results.length} file${results.length === 1 ? '' : 's'}${fixedNote}.\n` : `No problems found in ${files.length} file${files.length === 1 ? '' : 's'}${fixedNote}.\n`);
  }
  if (unreadable > 0) return 2;
  return count > 0 && !options.exitZero ? 1 : 0;
}
