// The constructor kind of a call (`threading.Thread(...)` → `threading.Thread`), worked out once
// per call and module however many rules ask.
import type { Node } from '../trees';
import type { ModuleIndex } from './module';

const MEMO_KEY = 'constructorKinds';

/** `module.constructorOf(call)`, remembered in `module.memo`. */
export function constructorKind(module: ModuleIndex, call: Node): string | undefined {
  if (call.type !== 'call') return undefined;
  let kinds = module.memo.get(MEMO_KEY) as Map<number, string | null> | undefined;
  if (!kinds) {
    kinds = new Map();
    module.memo.set(MEMO_KEY, kinds);
  }
  let kind = kinds.get(call.id);
  if (kind === undefined) {
    kind = module.constructorOf(call) ?? null; // null: known to make none
    kinds.set(call.id, kind);
  }
  return kind ?? undefined;
}
