import { ValidationOptions, registerDecorator } from 'class-validator';

import { Limits } from '@chat/contracts';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Pictographs (😀, ❤), flags (regional indicator pairs) and keycaps (1️⃣). */
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;
/** Nothing a reaction needs: controls, format characters outside emoji sequences, whitespace, NUL. */
const FORBIDDEN = /[\p{Cc}\s]/u;

/**
 * One emoji: a single grapheme cluster (so a ZWJ family, a flag or a skin-tone variant counts as
 * one) that contains an emoji, at most Limits.EMOJI_MAX UTF-16 units. Words, `:shortcodes:`, two
 * emoji or a letter with combining marks are refused: a reaction bar would otherwise carry text.
 */
export function isSingleEmoji(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > Limits.EMOJI_MAX) return false;
  if (!value.isWellFormed() || FORBIDDEN.test(value) || !EMOJI.test(value)) return false;
  let count = 0;
  for (const _ of graphemes.segment(value)) if (++count > 1) return false;
  return true;
}

export function IsSingleEmoji(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isSingleEmoji',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be one emoji', ...options },
      validator: { validate: isSingleEmoji },
    });
}
