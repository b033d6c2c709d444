// Registry group: asyncio rules (PCC1xx).
import type { Rule } from './rule';
import blockingSleepInAsync from './blockingSleepInAsync';
import blockingHttpInAsync from './blockingHttpInAsync';
import blockingSubprocessInAsync from './blockingSubprocessInAsync';
import blockingFileIoInAsync from './blockingFileIoInAsync';
import blockingInputInAsync from './blockingInputInAsync';
import blockingWaitInAsync from './blockingWaitInAsync';
import coroutineNeverAwaited from './coroutineNeverAwaited';
import danglingTask from './danglingTask';

export const ASYNCIO_RULES: Rule[] = [
  blockingSleepInAsync,
  blockingHttpInAsync,
  blockingSubprocessInAsync,
  blockingFileIoInAsync,
  blockingInputInAsync,
  blockingWaitInAsync,
  coroutineNeverAwaited,
  danglingTask,
];
