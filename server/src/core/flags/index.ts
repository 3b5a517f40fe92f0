/** The flag model (pure): parse, state, rollout words, staleness, problems. */
export * from './types';
export * from './parse';
export * from './state';
export * from './rollout';
export * from './summary';
export * from './stale';
export * from './closest';
export * from './problems';
export * from './snapshot-json';
export * from './glance';
export * from './changes';
