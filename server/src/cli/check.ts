// `concurrency-coach check`: analyse files, print findings, optionally apply safe fixes.
import * as path from 'node:path';
import { createParser } from '../trees';
import { resolveSelection } from '../config/selection';
import { parsePythonVersion } from '../pythonVersion';
import { collectFiles, PathError } from './files';
import { ruleHelpUri } from './links';
import { VERSION } from './version';
import { formatSarif, formatText, toJson, type FileFindings } from './formats';
import { FileChecker, type CheckFlags, type FileOutcome } from './checkFile';
import { checkInWorkers, workerCount } from './workers';

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
  /** The CLI's entry script: when set, many files are checked on worker threads started from it. */
  workerEntry?: string;
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
  if (options.pythonVersion !== undefined && !parsePythonVersion(options.pythonVersion)) throw new PathError(`--python-version must look like 3.12, got "${options.pythonVersion}"`);
  const flags: CheckFlags = { select: options.select, ignore: options.ignore, pythonVersion: options.pythonVersion, fix: options.fix, unsafeFixes: options.unsafeFixes };
  const named = new Set(options.paths.map((p) => path.resolve(p)));
  const files = collectFiles(options.paths);
  const progress = (i: number) => {
    if (options.progress && files.length > 20 && i % 20 === 0) process.stderr.write(`\rChecking ${i}/${files.length} files…`);
  };
  const workers = options.workerEntry ? workerCount(files.length) : 0;
  let outcomes: FileOutcome[];
  if (workers > 0) {
    // This thread settles the files that need no parse while the workers start and work.
    const triage = new FileChecker(undefined, flags, named);
    outcomes = await checkInWorkers(options.workerEntry!, workers, files, flags, named, progress, (file) => triage.settleWithoutParsing(file));
  } else {
    const checker = new FileChecker(await createParser(), flags, named);
    outcomes = files.map((file, i) => {
      progress(i);
      return checker.check(file);
    });
  }
  // Messages in file order, each config problem once: the same output however the files were checked.
  const results: FileFindings[] = [];
  const warned = new Set<string>();
  let unreadable = 0;
  let fixed = 0;
  outcomes.forEach((outcome, i) => {
    for (const problem of outcome.problems) {
      if (!warned.has(problem)) process.stderr.write(`concurrency-coach: warning: ${problem}\n`);
      warned.add(problem);
    }
    for (const message of outcome.messages) process.stderr.write(message);
    if (outcome.unreadable) unreadable++;
    fixed += outcome.fixed;
    if (outcome.findings.length) results.push({ file: displayPath(files[i]), lines: outcome.lines!, findings: outcome.findings });
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
