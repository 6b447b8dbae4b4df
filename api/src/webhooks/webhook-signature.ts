import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How old a signed timestamp a receiver should still accept (documented in the README). */
export const REPLAY_WINDOW_SECONDS = 300;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `v1=` + hex HMAC-SHA256 over `${timestamp}.${body}`: the timestamp is signed too, so an old request replayed is caught. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (here for tests and as the reference the README points to). */
export function verifyWebhook(
  secret: string,
  header: { signature: string; timestamp: string },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const timestamp = Number(header.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > REPLAY_WINDOW_SECONDS) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(header.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
