// Which required words occur in a file's code, not only in its comments and plain string
// literals: a docstring that mentions `threading` does not make a file worth parsing. The scan
// is a small tokenizer; on anything it is unsure of it counts the whole text as code.
import { presentWords, wordPattern } from '../rules/requires';

/** Start and end offsets of comments and plain (non-f) string literals, in order; undefined when unsure. */
export function nonCodeSpans(text: string): number[] | undefined {
  if (text.includes('\0')) return undefined; // the parser stops reading a token at a NUL
  const spans: number[] = [];
  const interesting = /[#'"\\]/g;
  let i = 0;
  while (i < text.length) {
    interesting.lastIndex = i;
    const m = interesting.exec(text);
    if (!m) break;
    const at = m.index;
    if (text.charCodeAt(at) === BACKSLASH) {
      // Outside a literal a backslash only joins lines; any other use can make the parser read a literal as code.
      const next = text.charCodeAt(at + 1);
      if (next !== NEWLINE && next !== RETURN) return undefined;
      i = at + 1;
      continue;
    }
    if (text.charCodeAt(at) === HASH) {
      const end = lineEnd(text, at);
      spans.push(at, end);
      i = end;
      continue;
    }
    const prefix = stringPrefix(text, at);
    const end = stringEnd(text, at, /[fF]/.test(prefix), /[rR]/.test(prefix));
    if (end === undefined) return undefined;
    if (end < 0) {
      i = -end; // an f-string: its text may hold code, so it stays in
      continue;
    }
    spans.push(at, end);
    i = end;
  }
  return spans;
}

/** The words of `words` that occur in the text outside comments and plain string literals. */
export function presentCodeWords(text: string, words: readonly string[]): Set<string> {
  const spans = nonCodeSpans(text);
  if (!spans) return presentWords(text, words);
  const found = new Set<string>();
  if (words.length === 0) return found;
  const re = wordPattern(words);
  re.lastIndex = 0;
  let s = 0; // first span that may hold the next match
  for (let m = re.exec(text); m; m = re.exec(text)) {
    while (s < spans.length && spans[s + 1] <= m.index) s += 2;
    const inside = s < spans.length && spans[s] <= m.index;
    if (inside) {
      re.lastIndex = spans[s + 1];
      continue;
    }
    found.add(m[0]);
    if (found.size === words.length) break;
  }
  return found;
}

const HASH = 35;
const BACKSLASH = 92;
const NEWLINE = 10;
const RETURN = 13;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const QUOTE = 34;
const APOSTROPHE = 39;

/** Where the line holding `at` ends: its \n or \r (the parser takes a lone \r as a line break). */
function lineEnd(text: string, at: number): number {
  for (let j = at; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === NEWLINE || c === RETURN) return j;
  }
  return text.length;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** The letters and digits just before a quote: its prefix, taken broadly (an f in them may make an f-string, an r a raw one). */
function stringPrefix(text: string, quote: number): string {
  let j = quote;
  while (j > 0 && isWordChar(text.charCodeAt(j - 1))) j--;
  return text.slice(j, quote);
}

/**
 * Where the literal opening at `at` ends (just after its closing quote). For an f-string, the
 * negated end. Undefined when the literal is unterminated, spans lines without triple quotes
 * (a backslash may continue a line, but not in a raw string), or nests the kind of quote it is
 * closed by or a comment in a replacement field.
 */
function stringEnd(text: string, at: number, format: boolean, raw: boolean): number | undefined {
  const q = text.charCodeAt(at);
  const triple = text.charCodeAt(at + 1) === q && text.charCodeAt(at + 2) === q;
  let j = at + (triple ? 3 : 1);
  let depth = 0; // braces open in an f-string's replacement field
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) {
      const next = text.charCodeAt(j + 1);
      if (next === NEWLINE || next === RETURN) {
        if (raw && !triple) return undefined;
        j += next === RETURN && text.charCodeAt(j + 2) === NEWLINE ? 3 : 2;
        continue;
      }
      j += 2;
      continue;
    }
    if ((c === NEWLINE || c === RETURN) && !triple) return undefined;
    if (format && depth > 0) {
      if (c === q || (c === HASH && triple)) return undefined;
      if (c === QUOTE || c === APOSTROPHE) {
        const inner = innerStringEnd(text, j, q);
        if (inner === undefined) return undefined;
        j = inner;
        continue;
      }
    }
    if (c === q && (!triple || (text.charCodeAt(j + 1) === q && text.charCodeAt(j + 2) === q))) {
      const end = j + (triple ? 3 : 1);
      return format ? -end : end;
    }
    if (format && c === OPEN_BRACE) {
      if (depth === 0 && text.charCodeAt(j + 1) === OPEN_BRACE) j++;
      else depth++;
    } else if (format && c === CLOSE_BRACE && depth > 0) depth--;
    j++;
  }
  return undefined;
}

/** A one-line string in an f-string's replacement field, with no escapes and not the outer quote: just after its end. */
function innerStringEnd(text: string, at: number, outer: number): number | undefined {
  const q = text.charCodeAt(at);
  for (let j = at + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === q) return j + 1;
    if (c === outer || c === BACKSLASH || c === NEWLINE || c === RETURN) return undefined;
  }
  return undefined;
}
