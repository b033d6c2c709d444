// Expands VS Code / LSP snippet syntax the way an editor would when the user accepts
// every default: tab stops become their placeholder text (or the first choice), variables
// their value, and tab indentation four spaces. Also yields each pattern of
// snippets/python.json as the Python file the "Insert Pattern" command would produce.
import { loadPatterns, planPatternInsert, type Pattern } from '../../server/src/coaching/patterns';
import type { ImportInsertion } from '../../server/src/text/importPlacement';
import { lineStarts, offsetAt } from '../../server/src/text/positions';

export type SnippetNode =
  | { kind: 'text'; value: string }
  | { kind: 'tabstop'; index: number; children?: SnippetNode[]; choices?: string[]; transform?: Transform }
  | { kind: 'variable'; name: string; children?: SnippetNode[]; transform?: Transform };

export interface Transform { regex: string; format: string; flags: string }

/** Values for the variables an editor resolves; unknown names expand to their own name, as in VS Code. */
export const DEFAULT_VARIABLES: Readonly<Record<string, string>> = {
  TM_FILENAME: 'example.py',
  TM_FILENAME_BASE: 'example',
  TM_DIRECTORY: '/tmp',
  TM_FILEPATH: '/tmp/example.py',
  RELATIVE_FILEPATH: 'example.py',
  TM_SELECTED_TEXT: '',
  TM_CURRENT_LINE: '',
  TM_CURRENT_WORD: '',
  TM_LINE_INDEX: '0',
  TM_LINE_NUMBER: '1',
  CLIPBOARD: '',
  WORKSPACE_NAME: 'workspace',
  LINE_COMMENT: '#',
  BLOCK_COMMENT_START: '"""',
  BLOCK_COMMENT_END: '"""',
};

class SnippetSyntaxError extends Error {}

/** Parses snippet text into nodes. Throws on unbalanced `${`. */
export function parseSnippet(text: string): SnippetNode[] {
  const parser = new SnippetParser(text);
  const nodes = parser.parseNodes(false);
  if (parser.pos < text.length) throw new SnippetSyntaxError(`Unexpected "}" at ${parser.pos}`);
  return nodes;
}

class SnippetParser {
  pos = 0;
  constructor(private readonly text: string) {}

  /** Reads nodes until the end, or until an unescaped `}` when `nested`. */
  parseNodes(nested: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\\' && '$}\\'.includes(this.text[this.pos + 1] ?? '')) {
        text += this.text[this.pos + 1];
        this.pos += 2;
      } else if (ch === '}' && nested) {
        break;
      } else if (ch === '$') {
        const node = this.parseDollar();
        if (node) {
          flush();
          nodes.push(node);
        } else {
          text += '$';
          this.pos++;
        }
      } else {
        text += ch;
        this.pos++;
      }
    }
    flush();
    return nodes;
  }

  /** At a `$`: a tab stop, placeholder, choice or variable; undefined when the `$` is plain text. */
  private parseDollar(): SnippetNode | undefined {
    const rest = this.text.slice(this.pos);
    const simple = /^\$(?:(\d+)|([_a-zA-Z][_a-zA-Z0-9]*))/.exec(rest);
    if (simple) {
      this.pos += simple[0].length;
      return simple[1] !== undefined ? { kind: 'tabstop', index: Number(simple[1]) } : { kind: 'variable', name: simple[2] };
    }
    const braced = /^\$\{(?:(\d+)|([_a-zA-Z][_a-zA-Z0-9]*))/.exec(rest);
    if (!braced) return undefined;
    this.pos += braced[0].length;
    const node: SnippetNode = braced[1] !== undefined ? { kind: 'tabstop', index: Number(braced[1]) } : { kind: 'variable', name: braced[2] };
    const next = this.text[this.pos];
    if (next === '}') {
      this.pos++;
    } else if (next === ':') {
      this.pos++;
      node.children = this.parseNodes(true);
      this.expect('}');
    } else if (next === '|' && node.kind === 'tabstop') {
      this.pos++;
      node.choices = this.parseChoices();
    } else if (next === '/') {
      this.pos++;
      node.transform = this.parseTransform();
    } else {
      throw new SnippetSyntaxError(`Unexpected ${JSON.stringify(next ?? 'end')} at ${this.pos}`);
    }
    return node;
  }

  private parseChoices(): string[] {
    const choices: string[] = [];
    let current = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\\' && ',|\\'.includes(this.text[this.pos + 1] ?? '')) {
        current += this.text[this.pos + 1];
        this.pos += 2;
      } else if (ch === ',') {
        choices.push(current);
        current = '';
        this.pos++;
      } else if (ch === '|' && this.text[this.pos + 1] === '}') {
        choices.push(current);
        this.pos += 2;
        return choices;
      } else {
        current += ch;
        this.pos++;
      }
    }
    throw new SnippetSyntaxError('Unterminated choice');
  }

  /** After `${n/`: regex/format/flags} */
  private parseTransform(): Transform {
    const regex = this.readUntil('/');
    const format = this.readFormat();
    const flags = this.readUntil('}');
    return { regex, format, flags };
  }

  /** Raw text up to an unescaped `stop` (escapes kept, except `\stop`). */
  private readUntil(stop: string): string {
    let value = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\\' && this.text[this.pos + 1] === stop) {
        value += stop;
        this.pos += 2;
      } else if (ch === '\\') {
        value += ch + (this.text[this.pos + 1] ?? '');
        this.pos += 2;
      } else if (ch === stop) {
        this.pos++;
        return value;
      } else {
        value += ch;
        this.pos++;
      }
    }
    throw new SnippetSyntaxError(`Missing "${stop}" in a transform`);
  }

  /** A transform's format up to its closing `/`; `${...}` groups may contain `/`. */
  private readFormat(): string {
    let value = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\\') {
        value += this.text.slice(this.pos, this.pos + 2);
        this.pos += 2;
      } else if (ch === '$' && this.text[this.pos + 1] === '{') {
        const end = this.text.indexOf('}', this.pos);
        if (end < 0) break;
        value += this.text.slice(this.pos, end + 1);
        this.pos = end + 1;
      } else if (ch === '/') {
        this.pos++;
        return value;
      } else {
        value += ch;
        this.pos++;
      }
    }
    throw new SnippetSyntaxError('Missing "/" after a transform format');
  }

  private expect(ch: string): void {
    if (this.text[this.pos] !== ch) throw new SnippetSyntaxError(`Expected "${ch}" at ${this.pos}`);
    this.pos++;
  }
}

/** Every tab stop index with the distinct default texts it is given (placeholder text or first choice, unexpanded). */
export function tabstopDefaults(nodes: SnippetNode[], found = new Map<number, Set<string>>()): Map<number, Set<string>> {
  for (const node of nodes) {
    if (node.kind === 'text') continue;
    if (node.kind === 'tabstop') {
      const set = found.get(node.index) ?? new Set<string>();
      found.set(node.index, set);
      if (node.children) set.add(JSON.stringify(node.children));
      if (node.choices) set.add(JSON.stringify(node.choices[0]));
    }
    if (node.children) tabstopDefaults(node.children, found);
  }
  return found;
}

/** The text an editor shows when every default is accepted. Tab indentation becomes `indent`. */
export function expandSnippet(body: string | readonly string[], options: { variables?: Record<string, string>; indent?: string } = {}): string {
  const nodes = parseSnippet(typeof body === 'string' ? body : body.join('\n'));
  const variables = { ...DEFAULT_VARIABLES, ...options.variables };
  const definitions = new Map<number, SnippetNode>();
  const collect = (list: SnippetNode[]) => {
    for (const node of list) {
      if (node.kind === 'tabstop' && (node.children || node.choices) && !definitions.has(node.index)) definitions.set(node.index, node);
      if (node.kind !== 'text' && node.children) collect(node.children);
    }
  };
  collect(nodes);

  const render = (list: SnippetNode[], active: Set<number>): string => list.map((node) => renderNode(node, active)).join('');
  const renderNode = (node: SnippetNode, active: Set<number>): string => {
    if (node.kind === 'text') return node.value;
    let value: string;
    if (node.kind === 'tabstop') {
      const def = definitions.get(node.index);
      if (active.has(node.index) || !def) value = '';
      else if (def.kind === 'tabstop' && def.choices) value = def.choices[0];
      else value = render(def.kind === 'text' ? [] : def.children ?? [], new Set([...active, node.index]));
    } else {
      const known = variables[node.name];
      if (known === undefined) value = node.name;
      else if (known === '' && node.children) value = render(node.children, active);
      else value = known;
    }
    return node.transform ? applyTransform(value, node.transform) : value;
  };

  const indent = options.indent ?? '    ';
  return render(nodes, new Set())
    .split('\n')
    .map((line) => line.replace(/^\t+/, (tabs) => indent.repeat(tabs.length)))
    .join('\n');
}

/** `${1/regex/format/flags}`: format supports $n, ${n}, ${n:/upcase|downcase|capitalize}, ${n:+if}, ${n:-else}, ${n:?if:else}. */
function applyTransform(value: string, transform: Transform): string {
  const regex = new RegExp(transform.regex, transform.flags);
  return value.replace(regex, (...args: unknown[]) => {
    const groups = args.slice(0, args.findIndex((a) => typeof a === 'number')) as (string | undefined)[];
    const group = (n: number) => (typeof groups[n] === 'string' ? (groups[n] as string) : '');
    return transform.format.replace(/\$(\d+)|\$\{(\d+)(?::([/+?-]?)([^}]*))?\}|\\(.)/g, (_m, plain, index, op, arg, escaped) => {
      if (escaped !== undefined) return escaped;
      if (plain !== undefined) return group(Number(plain));
      const g = group(Number(index));
      if (op === '/') {
        if (arg === 'upcase') return g.toUpperCase();
        if (arg === 'downcase') return g.toLowerCase();
        if (arg === 'capitalize') return g.charAt(0).toUpperCase() + g.slice(1);
        return g;
      }
      if (op === '+') return g ? arg : '';
      if (op === '?') {
        const [ifText, elseText = ''] = String(arg).split(':');
        return g ? ifText : elseText;
      }
      if (op === '-' || (op === '' && arg)) return g || arg;
      return g;
    });
  });
}

export interface ExpandedPattern {
  pattern: Pattern;
  /** The body with every default accepted. */
  body: string;
  /** The file "Insert Pattern" makes from an empty one: imports, blank lines, the body. */
  text: string;
}

/** Applies import insertions (lines of the original text) the way an LSP client does. */
export function applyInsertions(text: string, insertions: readonly ImportInsertion[]): string {
  const starts = lineStarts(text);
  let result = text;
  for (const ins of [...insertions].reverse()) {
    const offset = offsetAt(starts, text, { line: ins.line, character: 0 });
    result = result.slice(0, offset) + ins.text + result.slice(offset);
  }
  return result;
}

/** Each pattern of snippets/python.json inserted into an empty file as "Insert Pattern" does, defaults accepted. */
export function expandedPatterns(patterns: Pattern[] = loadPatterns()): ExpandedPattern[] {
  return patterns.map((pattern) => {
    const body = expandSnippet(pattern.body) + '\n';
    const plan = planPatternInsert('', pattern, 0, 0);
    const withImports = applyInsertions('', plan.imports);
    const text = withImports.slice(0, plan.start) + expandSnippet(plan.snippet) + withImports.slice(plan.end) + '\n';
    return { pattern, body, text };
  });
}
