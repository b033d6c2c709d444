// Registry group: thread rules (PCC2xx).
import type { Rule } from './rule';
import workerNeverJoined from './workerNeverJoined';

export const THREAD_RULES: Rule[] = [
  workerNeverJoined,
];
