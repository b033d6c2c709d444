// Registry group: lock and process rules (PCC3xx, PCC4xx).
import type { Rule } from './rule';
import lockAcquireWithoutWith from './lockAcquireWithoutWith';
import uselessWithLock from './uselessWithLock';
import lockOrderInversion from './lockOrderInversion';
import asyncioObjectUsedFromThread from './asyncioObjectUsedFromThread';
import missingMainGuard from './missingMainGuard';
import unpicklableCallableForProcess from './unpicklableCallableForProcess';
import poolNeverShutDown from './poolNeverShutDown';
import futureExceptionNeverChecked from './futureExceptionNeverChecked';
import preexecFnWithThreads from './preexecFnWithThreads';

export const LOCK_PROCESS_RULES: Rule[] = [
  lockAcquireWithoutWith,
  uselessWithLock,
  lockOrderInversion,
  asyncioObjectUsedFromThread,
  missingMainGuard,
  unpicklableCallableForProcess,
  poolNeverShutDown,
  futureExceptionNeverChecked,
  preexecFnWithThreads,
];
