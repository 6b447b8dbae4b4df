import sharp from 'sharp';

/** Decompression bombs: a small file that would expand to gigabytes of pixels is refused as an image. */
const MAX_INPUT_PIXELS = 50_000_000;
export const THUMBNAIL_SIZE = 320;

export interface ProcessedImage {
  /** The image to serve: oriented, re-encoded in its own format, with no EXIF, XMP or ICC text left. */
  image: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
}

/**
 * Re-encoding is what strips the metadata (sharp writes none unless asked): GPS position, camera
 * serials and comments are not in what is served. Orientation is applied first, so the pixels stand
 * the right way without the EXIF tag. Null when sharp cannot decode the file: it is then served as a
 * plain download, never inline.
 */
export async function processImage(input: Buffer, contentType: string): Promise<ProcessedImage | null> {
  const animated = contentType === 'image/gif' || contentType === 'image/webp';
  try {
    const source = () => sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, animated }).rotate();
    const format = FORMAT_OF[contentType];
    const { data: image, info } = await source().toFormat(format).toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    // For an animation sharp reports the height of all frames stacked.
    const height = info.pageHeight ?? info.height;
    return { image, thumbnail, width: info.width, height };
  } catch {
    return null;
  }
}

const FORMAT_OF: Record<string, keyof sharp.FormatEnum> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};
