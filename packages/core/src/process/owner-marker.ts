/**
 * Every process core starts carries the identity of the orchestrator process that started it in
 * one environment variable. Children inherit it, a `setsid`/double-fork daemon included, so
 * after a crash the next start finds what a dead orchestrator left running even with the sandbox
 * off (with the sandbox on, the PID namespace already ends it all).
 */
import { currentProcess, type ProcessIdentity } from '../durability/process-identity.js';

/** The environment variable that names the orchestrator process owning a child process. */
export const ownerMarkerName = 'CODEX_ORCHESTRATOR_OWNER';

/** The marker value of `owner`: `<pid>:<start time>`. */
export function ownerMarker(owner: ProcessIdentity = currentProcess()): string {
  return `${owner.pid}:${owner.start ?? ''}`;
}
