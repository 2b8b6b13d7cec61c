/** The public part of `exec/` (command execution), re-exported by the package root. */
export type { NoPushEnvOptions } from './no-push-env.js';
export { noPushEnv } from './no-push-env.js';
