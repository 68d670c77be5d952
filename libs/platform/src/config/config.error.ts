export interface ConfigIssue {
  /** The environment variable at fault, e.g. `RABBITMQ_URL`. */
  variable: string;
  /** Why, in words an operator can act on. Never the value itself: it may be a secret. */
  message: string;
}

/** The environment does not describe a service that can start. The message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly issues: ConfigIssue[]) {
    super(`invalid configuration: ${issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}`);
  }
}
