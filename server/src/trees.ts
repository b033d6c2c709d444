// Grammar loading and parsing. web-tree-sitter positions are UTF-16 code units, like LSP.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, Language, Tree, Edit } from 'web-tree-sitter';
import { buildMirror } from './syntax/mirror';
import { useRuntime } from './syntax/walker';
import { lineStarts } from './text/positions';
import type { SyntaxNode } from './syntax/node';

export type { Tree, Edit };
/** The syntax node the analysis works with: a JavaScript mirror of tree-sitter's node (see syntax/). */
export type Node = SyntaxNode;

let language: Promise<Language> | undefined;

/** Finds a wasm file next to the bundle (dist/) or, in development, in its npm package. */
function locate(fileName: string, packagePath: string): string {
  const bundled = path.join(__dirname, fileName);
  return fs.existsSync(bundled) ? bundled : require.resolve(packagePath);
}

/** Loads the runtime and the Python grammar once per process. */
export function loadPython(): Promise<Language> {
  language ??= (async () => {
    const runtime = locate('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    // The runtime adds its exports to the object it is given; the mirror's walk calls some directly.
    const binding = { locateFile: () => runtime };
    await Parser.init(binding);
    useRuntime(binding);
    return Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
  })();
  return language;
}

/** A parser bound to the Python grammar. Call after loadPython() resolved. */
export async function createParser(): Promise<Parser> {
  const language = await loadPython();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** Mirrors a freshly parsed tree for one-off analysis (the CLI, tests); `direct: false` as in buildMirror. */
export function mirrorOf(tree: Tree, text: string, direct = true): SyntaxNode {
  return buildMirror(tree, text, lineStarts(text), undefined, direct).root;
}

/** True when the tree contains a syntax error or a missing token. */
export function hasSyntaxErrors(tree: Tree): boolean {
  return tree.rootNode.hasError;
}
