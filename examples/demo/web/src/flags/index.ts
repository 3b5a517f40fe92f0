export * from './feature-flags';
export * from './flag-names';
export * from './use-flag';
