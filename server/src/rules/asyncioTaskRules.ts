// Registry group: asyncio coroutine and task rules (PCC112–PCC119).
import type { Rule } from './rule';
import eventLoopStartedInsideCoroutine from './eventLoopStartedInsideCoroutine';
import awaitOutsideAsync from './awaitOutsideAsync';
import asyncBusyWait from './asyncBusyWait';
import cancellationSwallowed from './cancellationSwallowed';
import lockKindMismatch from './lockKindMismatch';
import deprecatedEventLoopApi from './deprecatedEventLoopApi';
import asyncWithoutAwait from './asyncWithoutAwait';
import gatherExceptionsIgnored from './gatherExceptionsIgnored';

export const ASYNCIO_TASK_RULES: Rule[] = [
  eventLoopStartedInsideCoroutine,
  awaitOutsideAsync,
  asyncBusyWait,
  cancellationSwallowed,
  lockKindMismatch,
  deprecatedEventLoopApi,
  asyncWithoutAwait,
  gatherExceptionsIgnored,
];
