// Per-document configuration for the server: pulled from the client, normalised, problems reported once.
import type { Connection } from 'vscode-languageserver';
import { normalizeSettings, type CoachSettings } from './settings';
import { resolveSelection } from './selection';
import { DEFAULT_PYTHON, type PythonTarget } from '../pythonVersion';
import { findPyproject, type PyprojectInfo } from './pyproject';
import type { EngineConfig } from '../engine';

export interface DocumentConfig extends EngineConfig {
  settings: CoachSettings;
}

export class ConfigService {
  private readonly cache = new Map<string, { pyproject: PyprojectInfo | undefined; config: Promise<DocumentConfig> }>();
  private readonly reported = new Set<string>();
  private pull = false;
  private pushed: unknown;

  constructor(private readonly connection: Connection) {}

  /** Whether the client answers `workspace/configuration` requests. */
  setPullSupport(pull: boolean): void {
    this.pull = pull;
  }

  /** Settings pushed by `didChangeConfiguration` (clients without pull support) or initializationOptions. */
  setPushed(settings: unknown): void {
    this.pushed = settings;
    this.cache.clear();
  }

  invalidate(): void {
    this.cache.clear();
  }

  get(uri: string): Promise<DocumentConfig> {
    // The same object while the nearest pyproject.toml is unchanged; a new one reloads the config.
    const pyproject = findPyproject(uri);
    let entry = this.cache.get(uri);
    if (!entry || entry.pyproject !== pyproject) {
      entry = { pyproject, config: this.load(uri, pyproject) };
      this.cache.set(uri, entry);
    }
    return entry.config;
  }

  private async load(uri: string, pyproject: PyprojectInfo | undefined): Promise<DocumentConfig> {
    let raw: unknown = this.pushed;
    if (this.pull) {
      try {
        raw = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'concurrencyCoach' });
      } catch (error) {
        this.report(`Could not read the concurrencyCoach settings: ${String(error)}`);
      }
    }
    const { settings, problems } = normalizeSettings(raw);
    const { selection, problems: ruleProblems } = resolveSelection(settings.select, settings.ignore, settings.severity, 'concurrencyCoach');
    for (const problem of [...problems, ...ruleProblems]) this.report(problem);
    for (const problem of pyproject?.problems ?? []) this.report(problem);
    const python: PythonTarget = settings.pythonVersion
      ? { version: settings.pythonVersion, freeThreaded: settings.freeThreaded, source: 'setting' }
      : pyproject?.requiresPython
        ? { version: pyproject.requiresPython, freeThreaded: settings.freeThreaded, source: 'pyproject' }
        : { ...DEFAULT_PYTHON, freeThreaded: settings.freeThreaded };
    return { settings, selection, options: { python, notebook: uri.startsWith('vscode-notebook-cell:') } };
  }

  /** Shows a configuration problem once per session, and logs it. */
  report(problem: string): void {
    if (this.reported.has(problem)) return;
    this.reported.add(problem);
    this.connection.console.warn(problem);
    void this.connection.window.showWarningMessage(`Python Concurrency Coach: ${problem}`);
  }
}
