/** The public part of `model/` (the model client: timeouts, retries and errors that name the endpoint), re-exported by the package root. */
export type { ModelRequestErrorCode } from './model-request-error.js';
export { ModelRequestError } from './model-request-error.js';
export type { ModelRequestOptions, ResolvedModelRequestOptions } from './model-request-options.js';
export { defaultModelRequestOptions, resolveModelRequestOptions } from './model-request-options.js';
export type { ModelRetryNotice, PatientModelProviderOptions } from './patient-model-provider.js';
export { createPatientModelProvider } from './patient-model-provider.js';
