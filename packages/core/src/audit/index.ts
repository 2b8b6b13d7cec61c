/** The public part of `audit/` (the audit log of run_repo_command calls), re-exported by the package root. */
export type { AuditEntry, AuditLog, AuditLogOptions } from './audit-log.js';
export { createAuditLog } from './audit-log.js';
export type { Redactor, RedactorOptions } from './redact-secrets.js';
export { createRedactor, defaultSecretEnvNames } from './redact-secrets.js';
