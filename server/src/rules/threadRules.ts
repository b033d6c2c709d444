// Registry group: thread rules (PCC2xx).
import type { Rule } from './rule';
import workerNeverJoined from './workerNeverJoined';
import targetCalledInsteadOfPassed from './targetCalledInsteadOfPassed';
import threadArgsNotATuple from './threadArgsNotATuple';
import runInsteadOfStart from './runInsteadOfStart';
import startedTwice from './startedTwice';
import threadTargetPositional from './threadTargetPositional';
import cpuBoundWorkInThreads from './cpuBoundWorkInThreads';
import unsynchronizedSharedState from './unsynchronizedSharedState';
import deprecatedThreadingApi from './deprecatedThreadingApi';

export const THREAD_RULES: Rule[] = [
  workerNeverJoined,
  targetCalledInsteadOfPassed,
  threadArgsNotATuple,
  runInsteadOfStart,
  startedTwice,
  threadTargetPositional,
  cpuBoundWorkInThreads,
  unsynchronizedSharedState,
  deprecatedThreadingApi,
];
