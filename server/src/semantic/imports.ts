// The module's import table: which local name stands for which module or object.
import type { Node } from '../trees';

export interface ImportBinding {
  /** Local name bound by the import (`t` for `import time as t`). */
  local: string;
  /** Fully qualified name it stands for (`time`, `time.sleep`, `concurrent.futures`). */
  qualified: string;
  node: Node;
}

/** Reads `import a.b as c` and `from a import b as c` statements anywhere in the module. */
export function readImports(statements: Node[]): ImportBinding[] {
  const bindings: ImportBinding[] = [];
  for (const stmt of statements) {
    if (stmt.type === 'import_statement') {
      for (const item of stmt.namedChildren) {
        if (!item) continue;
        if (item.type === 'dotted_name') {
          const name = item.text;
          const top = name.split('.')[0];
          bindings.push({ local: top, qualified: top, node: stmt });
        } else if (item.type === 'aliased_import') {
          const name = item.childForFieldName('name')?.text;
          const alias = item.childForFieldName('alias')?.text;
          if (name && alias) bindings.push({ local: alias, qualified: name, node: stmt });
        }
      }
    } else if (stmt.type === 'import_from_statement') {
      const moduleNode = stmt.childForFieldName('module_name');
      if (!moduleNode || moduleNode.type === 'relative_import') continue;
      const moduleName = moduleNode.text;
      for (const item of stmt.childrenForFieldName('name')) {
        if (!item) continue;
        if (item.type === 'dotted_name') {
          bindings.push({ local: item.text, qualified: `${moduleName}.${item.text}`, node: stmt });
        } else if (item.type === 'aliased_import') {
          const name = item.childForFieldName('name')?.text;
          const alias = item.childForFieldName('alias')?.text;
          if (name && alias) bindings.push({ local: alias, qualified: `${moduleName}.${name}`, node: stmt });
        }
      }
    }
  }
  return bindings;
}
