import type { IncomingMessage } from 'node:http';

import { createOriginCheck, isOriginAllowed } from './origins';

const request = (origin?: string) => ({ headers: origin === undefined ? {} : { origin } }) as IncomingMessage;

function decide(allowed: string[] | true, origin?: string): { error: unknown; success: boolean } {
  let decision: { error: unknown; success: boolean } | undefined;
  createOriginCheck(allowed)(request(origin), (error, success) => (decision = { error, success }));
  if (!decision) throw new Error('allowRequest did not answer');
  return decision;
}

describe('isOriginAllowed', () => {
  const allowed = ['https://chat.example.com', 'http://localhost:4200'];

  it('admits the listed origins exactly', () => {
    expect(isOriginAllowed('https://chat.example.com', allowed)).toBe(true);
    expect(isOriginAllowed('http://localhost:4200', allowed)).toBe(true);
  });

  it.each([
    'https://evil.example.com',
    'http://chat.example.com',
    'https://chat.example.com:8443',
    'https://chat.example.com.evil.net',
    'null',
    '',
  ])('refuses %j', (origin) => {
    expect(isOriginAllowed(origin, allowed)).toBe(false);
  });

  it('admits requests without an Origin header (non-browser clients)', () => {
    expect(isOriginAllowed(undefined, allowed)).toBe(true);
  });

  it('admits any origin when every origin is allowed', () => {
    expect(isOriginAllowed('https://anything.example', true)).toBe(true);
  });
});

describe('createOriginCheck (Socket.IO allowRequest)', () => {
  it('answers success for an allowed origin and a missing one', () => {
    expect(decide(['https://chat.example.com'], 'https://chat.example.com')).toEqual({
      error: null,
      success: true,
    });
    expect(decide(['https://chat.example.com'])).toEqual({ error: null, success: true });
  });

  it('answers failure with a message naming the refused origin', () => {
    expect(decide(['https://chat.example.com'], 'https://evil.example')).toEqual({
      error: 'Origin not allowed: https://evil.example',
      success: false,
    });
  });
});
