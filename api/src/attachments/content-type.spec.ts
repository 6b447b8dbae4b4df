import { cleanFileName, contentDisposition, sniffContentType } from './content-type';

describe('attachment names and dispositions', () => {
  it('keeps the last path segment, without control or bidi-override characters', () => {
    expect(cleanFileName('../../etc/passwd', 200)).toBe('passwd');
    expect(cleanFileName('C:\\Users\\me\\photo.jpg', 200)).toBe('photo.jpg');
    expect(cleanFileName('a\u0000b\r\n\u202egnp.exe', 200)).toBe('abgnp.exe');
    expect(cleanFileName('..', 200)).toBe('file');
    expect(cleanFileName('   ', 200)).toBe('file');
  });

  it('cuts long names to the limit in characters, keeping the extension', () => {
    const name = cleanFileName(`${'é'.repeat(300)}.png`, 200);
    expect([...name]).toHaveLength(200);
    expect(name.endsWith('.png')).toBe(true);
  });

  it('is inline only for the re-encoded image types, with both filename forms', () => {
    expect(contentDisposition('a.png', 'image/png')).toMatch(/^inline; /);
    expect(contentDisposition('a.svg', 'application/octet-stream')).toMatch(/^attachment; /);
    expect(contentDisposition('a.html', 'text/html')).toMatch(/^attachment; /);
    expect(contentDisposition('résumé "1".pdf', 'application/pdf')).toBe(
      `attachment; filename="r_sum_ _1_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%221%22.pdf`,
    );
  });
});

describe('sniffContentType', () => {
  it('reads the type from the bytes, and calls text (HTML, SVG) octet-stream', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    expect(await sniffContentType(png)).toBe('image/png');
    expect(await sniffContentType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(await sniffContentType(Buffer.from('<html><script>alert(1)</script></html>'))).toBe(
      'application/octet-stream',
    );
    expect(await sniffContentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(
      'application/octet-stream',
    );
  });
});
