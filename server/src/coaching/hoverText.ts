// Pure: an API entry + the assumed Python → hover markdown. No LSP types here.
import { ApiEntry, resolveText } from './apiTypes';
import { describeAssumption, parseVersion, PythonAssumption, versionAtLeast } from './gil';

export interface HoverOptions {
  /** The text as written in the source (`TPE`, `cf.wait`); shown before the qualified name when it differs. */
  written?: string;
  /** Link target for a rule's documentation; defaults to `docs/rules/PCC101.md`. */
  ruleHref?: (code: string) => string;
}

const MODEL_LABEL: Record<ApiEntry['model'], string> = {
  threads: 'threads',
  asyncio: 'asyncio',
  processes: 'processes',
  interpreters: 'interpreters',
  general: 'any model',
};

export const defaultRuleHref = (code: string): string => `docs/rules/${code}.md`;

function displayName(entry: ApiEntry): string {
  return entry.name.startsWith('keyword:') ? entry.title.replace(/`/g, '') : entry.name;
}

function titleLine(entry: ApiEntry, written: string | undefined): string {
  const name = displayName(entry);
  const who = written && written !== name && !entry.name.startsWith('keyword:')
    ? `\`${written}\` → \`${name}\``
    : `\`${name}\``;
  const label = entry.name.startsWith('keyword:') ? '' : ` — ${entry.title}`;
  return `**${who}**${label} · _${MODEL_LABEL[entry.model]}_`;
}

function versionLine(entry: ApiEntry, py: PythonAssumption): string | undefined {
  if (!entry.since) return undefined;
  const assumed = parseVersion(py.version);
  if (assumed && !versionAtLeast(py.version, entry.since)) {
    return `⚠️ **Needs Python ${entry.since}+**, but Python ${assumed.join('.')} is assumed: `
      + 'this raises AttributeError (or ImportError) there.';
  }
  return `_Needs Python ${entry.since}+._`;
}

function linksLine(entry: ApiEntry, ruleHref: (code: string) => string): string {
  const parts = [`[Python docs](${entry.docsUrl})`];
  const rules = entry.relatedRules ?? [];
  if (rules.length > 0) {
    parts.push(`Rules: ${rules.map((c) => `[${c}](${ruleHref(c)})`).join(', ')}`);
  }
  return parts.join(' · ');
}

/**
 * Hover markdown for one API: title with the name as written and as resolved,
 * model, summary, GIL note, common mistake, version requirement, links, and
 * the Python assumption the GIL note rests on.
 */
export function renderApiHover(entry: ApiEntry, py: PythonAssumption, options: HoverOptions = {}): string {
  const blocks = [
    titleLine(entry, options.written),
    entry.summary,
    `**GIL:** ${resolveText(entry.gil, py)}`,
    `**Common mistake:** ${entry.pitfall}`,
    versionLine(entry, py),
    linksLine(entry, options.ruleHref ?? defaultRuleHref),
    `_${describeAssumption(py)}_`,
  ];
  return blocks.filter((b): b is string => Boolean(b)).join('\n\n');
}
