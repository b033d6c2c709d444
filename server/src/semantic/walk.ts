// One cursor walk over the tree that collects the nodes rules care about, grouped by type.
import type { Node } from '../trees';

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

export function collectNodes(root: Node): Map<IndexedType, Node[]> {
  const byType = new Map<IndexedType, Node[]>();
  for (const type of INDEXED_TYPES) byType.set(type, []);
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (wanted.has(node.type)) byType.get(node.type as IndexedType)!.push(node);
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return byType;
}
