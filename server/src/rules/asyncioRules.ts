// Registry group: asyncio rules (PCC1xx).
import type { Rule } from './rule';
import blockingSleepInAsync from './blockingSleepInAsync';

export const ASYNCIO_RULES: Rule[] = [
  blockingSleepInAsync,
];
