/** The bytes file-type needs to recognise every format it knows. */
export const SNIFF_BYTES = 4100;

/** Shown inline (and thumbnailed): formats sharp decodes and re-encodes, none of which can carry script. */
export const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * file-type is an ES module: Node 24 require()s it (jest.config.js has swc turn it into CommonJS).
 * A static import would be compiled by tsc into an await import() that Nest's build keeps as require anyway.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fileType = require('file-type') as typeof import('file-type', {
  with: { 'resolution-mode': 'import' },
});

/** The content type of a file from its first bytes; octet-stream for anything not recognised (text, HTML, SVG…). */
export async function sniffContentType(head: Uint8Array): Promise<string> {
  return (await fileType.fileTypeFromBuffer(head))?.mime ?? 'application/octet-stream';
}

/**
 * `inline` only for INLINE_IMAGE_TYPES; everything else downloads, so a browser never renders an
 * uploaded HTML or SVG page on this origin. The name in both forms of RFC 6266.
 */
export function contentDisposition(name: string, contentType: string): string {
  const kind = INLINE_IMAGE_TYPES.has(contentType) ? 'inline' : 'attachment';
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * The file name as shown and sent back: the last path segment, without control and bidi-override
 * characters, at most `max` characters keeping the extension; `file` when nothing is left.
 */
export function cleanFileName(raw: string, max: number): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  const chars = [...(clean === '.' || clean === '..' ? '' : clean)];
  if (chars.length === 0) return 'file';
  if (chars.length <= max) return chars.join('');
  const dot = clean.lastIndexOf('.');
  const extension = dot > 0 ? [...clean.slice(dot)].slice(0, 16) : [];
  return [...chars.slice(0, max - extension.length), ...extension].join('');
}
