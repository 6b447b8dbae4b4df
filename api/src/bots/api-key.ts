import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A bot API key: `chatbot_<key id, 32 hex>_<secret, 43 base64url chars>`. The id finds the row; only
 * the SHA-256 of the secret is stored. A fast hash is enough here (unlike passwords): the secret is 256
 * random bits, so a stolen hash cannot be reversed by guessing, and verifying costs no CPU per request.
 */
const PREFIX = 'chatbot_';
const PATTERN = /^chatbot_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  keyId: string;
  secret: string;
}

export function isApiKey(token: string): boolean {
  return token.startsWith(PREFIX);
}

export function newApiKey(keyId: string): { key: string; secretHash: Buffer } {
  const secret = randomBytes(32).toString('base64url');
  return { key: `${PREFIX}${keyId.replace(/-/g, '')}_${secret}`, secretHash: hashSecret(secret) };
}

export function parseApiKey(token: string): ParsedApiKey | null {
  const match = PATTERN.exec(token);
  if (!match) return null;
  const hex = match[1];
  const keyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { keyId, secret: match[2] };
}

export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const hash = hashSecret(secret);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
