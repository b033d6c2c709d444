import type { ConcurrencyModel, PythonAssumption } from './gil';

/** A rule code such as "PCC101". */
export type RuleCode = `PCC${number}`;

/** Text that may depend on the Python being assumed. */
export type PyText = string | ((py: PythonAssumption) => string);

/** What the coach knows about one concurrency API; shown on hover. */
export interface ApiEntry {
  /** Fully qualified name, also the catalog key: "concurrent.futures.ThreadPoolExecutor", "keyword:await". */
  name: string;
  /** Short human label: "Thread pool". */
  title: string;
  model: ConcurrencyModel;
  /** What it does, 1–3 sentences. */
  summary: string;
  /** What the GIL means for it. */
  gil: PyText;
  /** The one mistake people make with it, concretely. */
  pitfall: string;
  /** Minimum Python version, only when newer than 3.9. */
  since?: string;
  /** https://docs.python.org/3/… page and anchor. */
  docsUrl: string;
  relatedRules?: RuleCode[];
}

export function resolveText(text: PyText, py: PythonAssumption): string {
  return typeof text === 'function' ? text(py) : text;
}

export const DOCS = 'https://docs.python.org/3/library/';
