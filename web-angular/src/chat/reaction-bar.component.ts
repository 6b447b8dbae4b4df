import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { Reaction } from '@chat/contracts';

import { EmojiPickerComponent } from './emoji-picker.component';

/** The quick picks offered before the full picker. */
const QUICK = ['👍', '❤️', '😂', '🎉', '😮', '🙏'];
/** A press this long on a touch screen shows who reacted (there is no hover there). */
const LONG_PRESS_MS = 500;

/**
 * Reactions under a message: one chip per emoji with its count, pressed when the user is among
 * those who reacted; a click toggles it. Who reacted shows on hover (title) and on a long press.
 * While `choosing` (the message's "Add reaction"), quick picks and the full picker show below.
 */
@Component({
  selector: 'app-reaction-bar',
  imports: [MatButtonModule, EmojiPickerComponent],
  templateUrl: './reaction-bar.component.html',
  styleUrl: './reaction-bar.component.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReactionBarComponent {
  readonly reactions = input.required<readonly Reaction[]>();
  readonly myUserId = input<string | null>(null);
  /** Labels of the people the user may know (the room's loaded members), by user id. */
  readonly names = input<ReadonlyMap<string, string>>(new Map());
  readonly choosing = input(false);
  readonly toggled = output<{ emoji: string; add: boolean }>();
  readonly closed = output<void>();

  protected readonly quick = QUICK;
  protected readonly fullPicker = signal(false);
  /** The emoji whose "who reacted" list is open after a long press. */
  protected readonly showingWho = signal<string | null>(null);
  protected readonly chips = computed(() =>
    this.reactions().map((reaction) => ({
      ...reaction,
      mine: this.myUserId() !== null && reaction.userIds.includes(this.myUserId()!),
      who: this.whoReacted(reaction),
    })),
  );
  private pressTimer: ReturnType<typeof setTimeout> | undefined;

  protected toggle(emoji: string, mine: boolean): void {
    this.toggled.emit({ emoji, add: !mine });
  }

  protected pick(emoji: string): void {
    this.closePicker();
    const existing = this.chips().find((chip) => chip.emoji === emoji);
    if (!existing?.mine) this.toggled.emit({ emoji, add: true });
  }

  protected closePicker(): void {
    this.fullPicker.set(false);
    this.closed.emit();
  }

  protected pressStart(emoji: string, event: PointerEvent): void {
    if (event.pointerType !== 'touch') return;
    this.pressTimer = setTimeout(() => this.showingWho.set(emoji), LONG_PRESS_MS);
  }

  protected pressEnd(): void {
    clearTimeout(this.pressTimer);
  }

  private whoReacted(reaction: Reaction): string {
    const names = reaction.userIds.map((id) =>
      id === this.myUserId() ? 'You' : (this.names().get(id) ?? 'someone'),
    );
    const others = reaction.count - names.length;
    const list = others > 0 ? [...names, `${others} more`] : names;
    return `${list.join(', ')} reacted with ${reaction.emoji}`;
  }
}
