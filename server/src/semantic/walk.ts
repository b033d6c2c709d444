// One cursor walk over the tree that collects the nodes rules care about, grouped by type.
import type { Node, Tree } from '../trees';

/** Node types indexed by the walk. Rules find their candidates here instead of walking again. */
export const INDEXED_TYPES = [
  'call', 'function_definition', 'lambda', 'class_definition', 'assignment', 'augmented_assignment',
  'with_statement', 'await', 'try_statement', 'except_clause', 'import_statement',
  'import_from_statement', 'future_import_statement', 'expression_statement', 'for_statement',
  'while_statement', 'global_statement', 'nonlocal_statement', 'comment', 'if_statement',
  'return_statement', 'raise_statement', 'yield', 'decorator', 'list_comprehension',
] as const;

export type IndexedType = (typeof INDEXED_TYPES)[number];

const wanted = new Set<string>(INDEXED_TYPES);

export function collectNodes(tree: Tree): Map<IndexedType, Node[]> {
  const byType = new Map<IndexedType, Node[]>();
  for (const type of INDEXED_TYPES) byType.set(type, []);
  const cursor = tree.walk();
  try {
    let descending = true;
    for (;;) {
      if (descending) {
        const type = cursor.nodeType;
        if (wanted.has(type)) byType.get(type as IndexedType)!.push(cursor.currentNode);
        if (cursor.gotoFirstChild()) continue;
      }
      if (cursor.gotoNextSibling()) {
        descending = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      descending = false;
    }
  } finally {
    cursor.delete();
  }
  return byType;
}
