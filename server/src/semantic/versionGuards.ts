// Code that only runs on older Pythons: `if sys.version_info < (3, 11):` and the `else` of `>=`.
import type { Node } from '../trees';

const BELOW = /^sys\.version_info\s*<\s*\(\s*3\s*,\s*(\d+)\s*\)$/;
const AT_LEAST = /^sys\.version_info\s*>=\s*\(\s*3\s*,\s*(\d+)\s*\)$/;

/**
 * The smallest minor version `N` such that the node only runs on Python older than 3.N, from
 * the `if` statements around it; undefined when no version check guards it.
 */
export function runsOnlyBelow(node: Node): number | undefined {
  let bound: number | undefined;
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type !== 'if_statement') continue;
    const condition = parent.childForFieldName('condition')?.text.replace(/\s+/g, ' ').trim() ?? '';
    const inBody = parent.childForFieldName('consequence')?.id === child.id;
    const inElse = child.type === 'else_clause';
    const below = BELOW.exec(condition);
    const atLeast = AT_LEAST.exec(condition);
    const minor = inBody && below ? Number(below[1]) : inElse && atLeast ? Number(atLeast[1]) : undefined;
    if (minor !== undefined) bound = bound === undefined ? minor : Math.min(bound, minor);
  }
  return bound;
}
