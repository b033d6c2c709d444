// The server's view of `concurrencyCoach.*` settings, normalised: a bad value falls back to its default.
import { parsePythonVersion } from '../pythonVersion';

export interface CoachSettings {
  enable: boolean;
  select?: string[];
  ignore?: string[];
  severity?: Record<string, string>;
  /** `3.12`; undefined means: from pyproject.toml, else the default. */
  pythonVersion?: string;
  freeThreaded: boolean;
  /** Files larger than this many characters are skipped with a message. */
  maxFileSize: number;
}

export const DEFAULT_SETTINGS: CoachSettings = { enable: true, freeThreaded: false, maxFileSize: 2_000_000 };

function stringList(value: unknown, key: string, problems: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  problems.push(`Setting concurrencyCoach.${key} must be a list of rule codes or names, like ["PCC101", "PCC2"]; using the default.`);
  return undefined;
}

export function normalizeSettings(raw: unknown): { settings: CoachSettings; problems: string[] } {
  const problems: string[] = [];
  const settings: CoachSettings = { ...DEFAULT_SETTINGS };
  if (raw === undefined || raw === null) return { settings, problems };
  if (typeof raw !== 'object') {
    problems.push('Settings under concurrencyCoach must be an object; using the defaults.');
    return { settings, problems };
  }
  const r = raw as Record<string, unknown>;
  if (r.enable !== undefined) {
    if (typeof r.enable === 'boolean') settings.enable = r.enable;
    else problems.push('Setting concurrencyCoach.enable must be true or false; using true.');
  }
  const select = stringList(r.select, 'select', problems);
  settings.select = select && select.length > 0 ? select : undefined; // empty means every rule
  settings.ignore = stringList(r.ignore, 'ignore', problems);
  if (r.severity !== undefined && r.severity !== null) {
    if (typeof r.severity === 'object' && !Array.isArray(r.severity)) settings.severity = r.severity as Record<string, string>;
    else problems.push('Setting concurrencyCoach.severity must be an object like {"PCC101": "error"}; using the rules\' defaults.');
  }
  if (r.pythonVersion !== undefined && r.pythonVersion !== null && r.pythonVersion !== '') {
    const version = parsePythonVersion(r.pythonVersion);
    if (version) settings.pythonVersion = version;
    else problems.push(`Setting concurrencyCoach.pythonVersion must look like "3.12" (3.9 to 3.14); got ${JSON.stringify(r.pythonVersion)}, using the default.`);
  }
  if (r.freeThreaded !== undefined) {
    if (typeof r.freeThreaded === 'boolean') settings.freeThreaded = r.freeThreaded;
    else problems.push('Setting concurrencyCoach.freeThreaded must be true or false; using false.');
  }
  if (r.maxFileSize !== undefined) {
    if (typeof r.maxFileSize === 'number' && Number.isFinite(r.maxFileSize) && r.maxFileSize > 0) settings.maxFileSize = r.maxFileSize;
    else problems.push(`Setting concurrencyCoach.maxFileSize must be a positive number of characters; using ${DEFAULT_SETTINGS.maxFileSize}.`);
  }
  return { settings, problems };
}
