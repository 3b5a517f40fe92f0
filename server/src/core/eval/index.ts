export * from './evaluate';
export { sha1Hex } from './sha1';
