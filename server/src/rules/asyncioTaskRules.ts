// Registry group: asyncio coroutine and task rules (PCC112–PCC119).
import type { Rule } from './rule';

export const ASYNCIO_TASK_RULES: Rule[] = [
];
