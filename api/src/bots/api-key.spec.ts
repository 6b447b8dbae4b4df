import { randomUUID } from 'node:crypto';

import { isApiKey, newApiKey, parseApiKey, secretMatches } from './api-key';

describe('bot API keys', () => {
  it('round-trips the key id and verifies only the secret it was made with', () => {
    const keyId = randomUUID();
    const { key, secretHash } = newApiKey(keyId);
    expect(isApiKey(key)).toBe(true);
    const parsed = parseApiKey(key)!;
    expect(parsed.keyId).toBe(keyId);
    expect(secretMatches(parsed.secret, secretHash)).toBe(true);
    expect(
      secretMatches(`${parsed.secret.slice(0, -1)}${parsed.secret.endsWith('A') ? 'B' : 'A'}`, secretHash),
    ).toBe(false);
    expect(secretHash.toString('base64url')).not.toContain(parsed.secret);
  });

  it('refuses anything that is not exactly a key', () => {
    const { key } = newApiKey(randomUUID());
    for (const wrong of [
      '',
      'chatbot_',
      `${key}x`,
      key.slice(1),
      key.replace('chatbot_', 'chatbot-'),
      'eyJhbGciOi.x.y',
    ]) {
      expect(parseApiKey(wrong)).toBeNull();
    }
    expect(isApiKey('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBe(false);
  });
});
