import {
  ConfigurationError,
  OrchestratorError,
  type OrchestratorErrorOptions,
} from '@codex-orchestrator/core';
import { errorMarkerPrefix, hasErrorMarker, markErrorClass } from '@codex-orchestrator/core/shared';

/** Codes of `TelegramError`: what went wrong while the adapter ran. */
export type TelegramErrorCode =
  | 'telegram-adapter-stopped'
  | 'telegram-approval-send-failed'
  | 'telegram-approval-unroutable'
  | 'telegram-approval-withdrawn'
  | 'telegram-conflict'
  | 'telegram-polling-failed';

const marker = Symbol.for(`${errorMarkerPrefix}.TelegramError`);

/** The Telegram adapter failed at run time (polling stopped, an approval could not be asked or answered). */
export class TelegramError extends OrchestratorError<TelegramErrorCode> {
  static {
    markErrorClass(TelegramError, marker);
  }

  constructor(message: string, options: OrchestratorErrorOptions<TelegramErrorCode>) {
    super(message, options);
  }

  /** True for a `TelegramError` from any copy of the package. */
  static override isInstance(value: unknown): value is TelegramError {
    return hasErrorMarker(value, marker);
  }
}

/** Codes of `TelegramConfigurationError`: which setting to fix. */
export type TelegramConfigurationErrorCode =
  | 'telegram-allowed-users-missing'
  | 'telegram-api-root-invalid'
  | 'telegram-id-invalid'
  | 'telegram-setting-invalid'
  | 'telegram-token-invalid'
  | 'telegram-token-missing'
  | 'telegram-unauthorized';

const configurationMarker = Symbol.for(`${errorMarkerPrefix}.TelegramConfigurationError`);

/** A Telegram setting is missing or wrong (or Telegram rejected the token); the message names the fix. */
export class TelegramConfigurationError extends ConfigurationError<TelegramConfigurationErrorCode> {
  static {
    markErrorClass(TelegramConfigurationError, configurationMarker);
  }

  /** True for a `TelegramConfigurationError` from any copy of the package. */
  static override isInstance(value: unknown): value is TelegramConfigurationError {
    return hasErrorMarker(value, configurationMarker);
  }
}
