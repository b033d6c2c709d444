// One file of `concurrency-coach check`: read, prescan, fix, analyse. Shared by the main thread
// and the worker threads, so both give the same outcome for the same file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Parser } from 'web-tree-sitter';
import { analyzeText, fixText, type EngineConfig } from '../engine';
import { parserText } from '../documents';
import { hasSyntaxErrors } from '../trees';
import { DEFAULT_SETTINGS, type CoachSettings } from '../config/settings';
import { findPyproject, type PyprojectInfo } from '../config/pyproject';
import { effectiveConfig } from '../config/projectConfig';
import { parsePythonVersion } from '../pythonVersion';
import { RULES } from '../rules/index';
import type { Finding } from '../rules/rule';
import { mayReport, mayReportInCode } from './prescan';

/** What the check flags mean for every file; plain data, so it can be sent to a worker. */
export interface CheckFlags {
  select?: string[];
  ignore?: string[];
  pythonVersion?: string;
  fix: boolean;
  unsafeFixes: boolean;
}

export interface FileOutcome {
  /** Config problems met on this file, in order (the caller prints each one once). */
  problems: string[];
  /** stderr lines for this file, in order. */
  messages: string[];
  unreadable: boolean;
  fixed: number;
  findings: Finding[];
  /** Source lines, only when there are findings. */
  lines?: string[];
}

function enabledIn(config: EngineConfig): (code: string) => boolean {
  return (code) => !!config.selection.severity.get(code);
}

function prescanEnabled(): boolean {
  return process.env.CONCURRENCY_COACH_PRESCAN !== '0';
}

export class FileChecker {
  private readonly flags: CoachSettings;

  /** Without a parser, only `settleWithoutParsing` can be used (the main thread of a check on workers). */
  constructor(private readonly parser: Parser | undefined, check: CheckFlags, private readonly named: ReadonlySet<string>) {
    const pythonVersion = check.pythonVersion === undefined ? undefined : parsePythonVersion(check.pythonVersion);
    // Flags play the part of editor settings: they override [tool.concurrency-coach] per key.
    this.flags = { ...DEFAULT_SETTINGS, select: check.select, ignore: check.ignore, pythonVersion };
    this.fix = check.fix;
    this.unsafeFixes = check.unsafeFixes;
  }

  private readonly fix: boolean;
  private readonly unsafeFixes: boolean;

  /** The nearest pyproject.toml for each folder met so far: one look up the tree per folder, not per file. */
  private readonly pyprojects = new Map<string, PyprojectInfo | undefined>();

  private pyprojectFor(file: string): PyprojectInfo | undefined {
    const dir = path.dirname(file);
    if (!this.pyprojects.has(dir)) this.pyprojects.set(dir, findPyproject(pathToFileURL(file).toString()));
    return this.pyprojects.get(dir);
  }

  private configFor(file: string): EngineConfig & { excluded: boolean; problems: string[] } {
    const effective = effectiveConfig(this.flags, this.pyprojectFor(path.resolve(file)), path.resolve(file), '--');
    return { selection: effective.selection, options: { python: effective.python, notebook: false }, excluded: effective.excluded, problems: effective.problems };
  }

  private needParser(): Parser {
    if (!this.parser) throw new Error('FileChecker: this checker has no parser');
    return this.parser;
  }

  /** True when the text parses without a syntax error or a missing token. */
  private parsesCleanly(text: string): boolean {
    const tree = this.needParser().parse(parserText(text));
    if (!tree) return false;
    try {
      return !hasSyntaxErrors(tree);
    } finally {
      tree.delete();
    }
  }

  /**
   * The outcome of a file when it needs no parse: unreadable, excluded, or without any word an
   * enabled rule requires. Undefined when the file must be checked. The same as `check` gives.
   */
  settleWithoutParsing(file: string): FileOutcome | undefined {
    const opened = this.open(file, prescanEnabled());
    return opened.text === undefined ? opened.outcome : undefined;
  }

  /** Reads the file and settles what needs no parser; `text` is set when the file must be parsed. */
  private open(file: string, prescan: boolean): { outcome: FileOutcome; text?: string; bom?: string; config?: EngineConfig } {
    const outcome: FileOutcome = { problems: [], messages: [], unreadable: false, fixed: 0, findings: [] };
    let raw: string;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch (error) {
      outcome.messages.push(`concurrency-coach: cannot read ${file}: ${(error as Error).message}\n`);
      outcome.unreadable = true;
      return { outcome };
    }
    const config = this.configFor(file);
    outcome.problems = config.problems;
    if (config.excluded && !this.named.has(path.resolve(file))) return { outcome }; // `exclude` skips what a folder walk finds
    const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
    const text = bom ? raw.slice(1) : raw;
    // No enabled rule requires a word this text has: nothing to find, nothing to fix.
    if (prescan && !mayReport(text, RULES, enabledIn(config))) return { outcome };
    return { outcome, text, bom, config };
  }

  check(file: string, prescan = prescanEnabled()): FileOutcome {
    const opened = this.open(file, prescan);
    const { outcome, bom, config } = opened;
    let text = opened.text;
    if (text === undefined || !config) return outcome;
    // The words are only in comments and plain strings: the same, once the parser confirms it reads them so.
    if (prescan && !mayReportInCode(text, RULES, enabledIn(config)) && this.parsesCleanly(text)) return outcome;
    const analyze = (t: string) => analyzeText(this.needParser(), t, config);
    if (this.fix) {
      const result = fixText((t) => analyze(t).findings, text, this.unsafeFixes);
      if (result.applied.length > 0) {
        fs.writeFileSync(file, bom + result.text);
        outcome.fixed = result.applied.length;
        text = result.text;
      }
    }
    const { findings, failures } = analyze(text);
    for (const failure of failures) outcome.messages.push(`concurrency-coach: rule ${failure.code} failed on ${file}: ${String(failure.error)}\n`);
    outcome.findings = findings;
    if (findings.length) outcome.lines = text.split(/\r\n|\r|\n/);
    return outcome;
  }
}
