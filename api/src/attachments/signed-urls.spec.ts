import { createSecretKey } from 'node:crypto';

import { SignedUrls, UrlGrant } from './signed-urls';

describe('SignedUrls', () => {
  const urls = new SignedUrls(createSecretKey(Buffer.from('a-secret-long-enough-for-the-test-0123456789')));
  const now = 1_800_000_000;
  const grant: UrlGrant = {
    attachmentId: '11111111-1111-4111-8111-111111111111',
    variant: 'file',
    userId: '22222222-2222-4222-8222-222222222222',
    expires: now + 60,
  };
  const signatureOf = (path: string) => new URL(path, 'http://x').searchParams.get('sig')!;

  it('accepts its own signature until the expiry', () => {
    const sig = signatureOf(urls.path(grant));
    expect(urls.verify(grant, sig, now)).toBe(true);
    expect(urls.verify(grant, sig, now + 60)).toBe(true);
    expect(urls.verify(grant, sig, now + 61)).toBe(false);
  });

  it('binds the signature to the user, the attachment, the variant and the expiry', () => {
    const sig = signatureOf(urls.path(grant));
    expect(urls.verify({ ...grant, userId: '33333333-3333-4333-8333-333333333333' }, sig, now)).toBe(false);
    expect(urls.verify({ ...grant, attachmentId: '44444444-4444-4444-8444-444444444444' }, sig, now)).toBe(
      false,
    );
    expect(urls.verify({ ...grant, variant: 'thumbnail' }, sig, now)).toBe(false);
    expect(urls.verify({ ...grant, expires: grant.expires + 3600 }, sig, now)).toBe(false);
  });

  it("refuses another key's signature and garbage", () => {
    const other = new SignedUrls(createSecretKey(Buffer.from('another-secret-long-enough-0123456789abcdef')));
    expect(urls.verify(grant, signatureOf(other.path(grant)), now)).toBe(false);
    expect(urls.verify(grant, '', now)).toBe(false);
    expect(urls.verify(grant, 'x'.repeat(43), now)).toBe(false);
  });
});
