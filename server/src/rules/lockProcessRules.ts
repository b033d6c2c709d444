// Registry group: lock and process rules (PCC3xx, PCC4xx).
import type { Rule } from './rule';
import lockAcquireWithoutWith from './lockAcquireWithoutWith';

export const LOCK_PROCESS_RULES: Rule[] = [
  lockAcquireWithoutWith,
];
