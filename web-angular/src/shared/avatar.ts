import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import type { UserRef } from '@chat/contracts';

/**
 * A colour of its own for each user id, stable across sessions and browsers: the id hashed (FNV-1a)
 * to a hue; saturation and lightness fixed so white initials stay readable on every hue.
 */
export function avatarColor(userId: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < userId.length; index++) {
    hash ^= userId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return `hsl(${(hash >>> 0) % 360} 55% 38%)`;
}

/** "Alice Smith" → "AS", "bob" → "B", "  " → "?"; letters from any script, emoji-safe. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words.at(-1)!] : words;
  const result = letters.map((word) => [...word][0]?.toLocaleUpperCase() ?? '').join('');
  return result || '?';
}

/** Initials on the user's colour; decorative (the name is always written beside it). */
@Component({
  selector: 'app-avatar',
  template: `{{ letters() }}`,
  styles: `
    :host {
      display: inline-flex;
      flex: none;
      align-items: center;
      justify-content: center;
      width: 32px;
      height: 32px;
      border-radius: 50%;
      color: #fff;
      font:
        600 13px/1 system-ui,
        sans-serif;
      user-select: none;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'aria-hidden': 'true', '[style.background]': 'color()' },
})
export class AvatarComponent {
  readonly user = input.required<Pick<UserRef, 'id' | 'username' | 'displayName'>>();
  protected readonly letters = computed(() => initials(this.user().displayName || this.user().username));
  protected readonly color = computed(() => avatarColor(this.user().id));
}
