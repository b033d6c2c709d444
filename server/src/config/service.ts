// Per-document configuration for the server: pulled from the client, normalised, problems reported once.
import type { Connection } from 'vscode-languageserver';
import { normalizeSettings, type CoachSettings } from './settings';
import { findPyproject, type PyprojectInfo } from './pyproject';
import { effectiveConfig } from './projectConfig';
import { fileURLToPath } from 'node:url';
import type { EngineConfig } from '../engine';

export interface DocumentConfig extends EngineConfig {
  settings: CoachSettings;
  /** Matched by `exclude` in [tool.concurrency-coach]: not analysed. */
  excluded: boolean;
}

function filePath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** Configurations kept for this many URIs, the least recently used dropped first (a workspace check asks for every file). */
export const CONFIG_CACHE_LIMIT = 256;

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
    if (!entry || entry.pyproject !== pyproject) entry = { pyproject, config: this.load(uri, pyproject) };
    this.cache.delete(uri); // re-inserted last: the most recently used
    this.cache.set(uri, entry);
    if (this.cache.size > CONFIG_CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
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
    const effective = effectiveConfig(settings, pyproject, filePath(uri), 'concurrencyCoach.');
    for (const problem of [...problems, ...effective.problems]) this.report(problem);
    return {
      settings,
      selection: effective.selection,
      excluded: effective.excluded,
      options: { python: effective.python, notebook: uri.startsWith('vscode-notebook-cell:') },
    };
  }

  /** Shows a configuration problem once per session, and logs it. */
  report(problem: string): void {
    if (this.reported.has(problem)) return;
    this.reported.add(problem);
    this.connection.console.warn(problem);
    void this.connection.window.showWarningMessage(`Python Concurrency Coach: ${problem}`);
  }
}
