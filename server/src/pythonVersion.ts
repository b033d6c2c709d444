// Which Python the user targets: from a setting, pyproject.toml, or the stated default.

export interface PythonTarget {
  /** `3.12` */
  version: string;
  freeThreaded: boolean;
  source: 'setting' | 'pyproject' | 'default';
}

export const DEFAULT_PYTHON: PythonTarget = { version: '3.12', freeThreaded: false, source: 'default' };

/** `3.9` .. `3.14` style versions; anything else is rejected. */
export function parsePythonVersion(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\s*3\.(\d{1,2})\s*$/.exec(value);
  const minor = match ? Number(match[1]) : NaN;
  return minor >= 9 && minor <= 14 ? `3.${minor}` : undefined;
}

export function versionAtLeast(version: string, minimum: string): boolean {
  const [a1, a2] = version.split('.').map(Number);
  const [b1, b2] = minimum.split('.').map(Number);
  return a1 !== b1 ? a1 > b1 : a2 >= b2;
}
