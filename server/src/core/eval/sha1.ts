import { createHash } from 'node:crypto';

/** SHA-1 of a string's UTF-8 bytes, as lower-case hex (PostHog's flag hashing). */
export function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}
