/** The PostHog API client (the only code that talks HTTP) and flag sources. */
export * from './config';
export * from './errors';
export * from './redact';
export * from './http';
export * from './client';
export * from './flag-source';
