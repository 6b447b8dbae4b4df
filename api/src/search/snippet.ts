import { randomBytes } from 'node:crypto';

import type { SnippetPart } from '@chat/contracts';

/**
 * The start and stop markers `ts_headline` puts around matched words. Message text can contain any
 * character but NUL (control characters included), so fixed markers could be forged by a message;
 * random ones chosen per search cannot, and the snippet goes out as parts, never as markup.
 */
export interface HighlightMarkers {
  start: string;
  stop: string;
}

export function newMarkers(): HighlightMarkers {
  const nonce = randomBytes(12).toString('hex');
  return { start: `hlstart${nonce}`, stop: `hlstop${nonce}` };
}

/** ts_headline options: up to two fragments of the body around the matches. */
export const headlineOptions = (markers: HighlightMarkers): string =>
  `StartSel=${markers.start}, StopSel=${markers.stop}, MaxFragments=2, MaxWords=24, MinWords=8, ` +
  `FragmentDelimiter=" … "`;

/** A headline with markers → text parts, adjacent parts of one kind merged, empty ones dropped. */
export function snippetParts(headline: string, markers: HighlightMarkers): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const add = (text: string, match: boolean) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.match === match) last.text += text;
    else parts.push({ text, match });
  };
  let rest = headline;
  for (;;) {
    const start = rest.indexOf(markers.start);
    if (start < 0) break;
    add(rest.slice(0, start), false);
    rest = rest.slice(start + markers.start.length);
    const stop = rest.indexOf(markers.stop);
    add(stop < 0 ? rest : rest.slice(0, stop), true);
    rest = stop < 0 ? '' : rest.slice(stop + markers.stop.length);
  }
  add(rest, false);
  return parts;
}
