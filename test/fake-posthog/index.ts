export * from './server';
export * from './generate';
