import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  computed,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { Limits, UserRef } from '@chat/contracts';

import { insertMention, mentionAt, suggestMembers } from './mention-suggestions';

/** Typing signals are renewed this often while the user keeps typing, and dropped after this idle time. */
const TYPING_RENEW_MS = 3_000;
const TYPING_IDLE_MS = 4_000;
/** Gives each composer's suggestion list its own id (a room page has two: timeline and thread). */
let composers = 0;

/**
 * The message box: Enter sends, Shift+Enter breaks the line, Up in an empty box edits the user's
 * last message, `@` suggests room members (arrows move, Enter or Tab picks, Escape dismisses);
 * announces typing while in use.
 */
@Component({
  selector: 'app-composer',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <form class="composer" (submit)="$event.preventDefault(); submit()">
      @if (suggestions().length > 0) {
        <ul class="mentions" role="listbox" [id]="listId" aria-label="Mention someone">
          @for (user of suggestions(); track user.id; let index = $index) {
            <li
              role="option"
              class="mentions__option"
              [id]="listId + '-' + index"
              [attr.aria-selected]="index === active()"
              (mousedown)="$event.preventDefault(); pick(user)"
            >
              <strong>{{ user.displayName || user.username }}</strong> &#64;{{ user.username }}
            </li>
          }
        </ul>
      }
      <mat-form-field appearance="outline" class="composer__field" subscriptSizing="dynamic">
        <mat-label>{{ label() }}</mat-label>
        <textarea
          matInput
          #box
          rows="1"
          [value]="draft()"
          (input)="onInput($event)"
          (keydown.enter)="onEnter($event)"
          (keydown.arrowup)="onArrowUp($event)"
          (keydown.arrowdown)="onArrowDown($event)"
          (keydown.tab)="onTab($event)"
          (keydown.escape)="mention.set(null)"
          (click)="findMention()"
          aria-autocomplete="list"
          [attr.aria-controls]="suggestions().length > 0 ? listId : null"
          [attr.aria-activedescendant]="suggestions().length > 0 ? listId + '-' + active() : null"
          (blur)="stopTyping()"
          [attr.maxlength]="maxLength"
        ></textarea>
        @if (remaining() < 200) {
          <mat-hint align="end">{{ remaining() }} characters left</mat-hint>
        }
      </mat-form-field>
      <button matButton="filled" type="submit" [disabled]="!canSend()">Send</button>
    </form>
  `,
  styles: `
    .composer {
      position: relative;
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 8px 12px 12px;
    }
    .composer__field {
      flex: 1;
    }
    .mentions {
      position: absolute;
      left: 12px;
      bottom: 100%;
      z-index: 2;
      min-width: 240px;
      margin: 0;
      padding: 4px 0;
      list-style: none;
      border-radius: 8px;
      background: var(--mat-sys-surface-container);
      box-shadow: var(--mat-sys-level2);
    }
    .mentions__option {
      padding: 6px 12px;
      cursor: pointer;
      color: var(--mat-sys-on-surface-variant);
    }
    .mentions__option strong {
      color: var(--mat-sys-on-surface);
      font-weight: 500;
    }
    .mentions__option[aria-selected='true'] {
      background: var(--mat-sys-secondary-container);
    }
    textarea {
      max-height: 160px;
      field-sizing: content;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ComposerComponent {
  readonly disabled = input(false);
  readonly label = input('Message');
  /** Who `@` suggests: the room's members. */
  readonly members = input<readonly UserRef[]>([]);
  readonly myUserId = input<string | null>(null);
  readonly sent = output<string>();
  readonly typing = output<boolean>();
  readonly editLast = output<void>();

  protected readonly maxLength = Limits.MESSAGE_BODY_MAX;
  protected readonly draft = signal('');
  protected readonly remaining = computed(() => this.maxLength - this.draft().length);
  protected readonly canSend = computed(
    () => !this.disabled() && this.draft().trim().length > 0 && this.remaining() >= 0,
  );
  protected readonly listId = `mentions-${++composers}`;
  protected readonly mention = signal<{ start: number; query: string } | null>(null);
  protected readonly active = signal(0);
  protected readonly suggestions = computed(() => {
    const mention = this.mention();
    return mention ? suggestMembers(this.members(), mention.query, this.myUserId()) : [];
  });
  private readonly box = viewChild.required<ElementRef<HTMLTextAreaElement>>('box');
  private typingSince = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stopTyping());
  }

  protected onInput(event: Event): void {
    this.draft.set((event.target as HTMLTextAreaElement).value);
    this.findMention();
    if (!this.draft()) {
      this.stopTyping();
      return;
    }
    const now = Date.now();
    if (now - this.typingSince > TYPING_RENEW_MS) {
      this.typingSince = now;
      this.typing.emit(true);
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  protected findMention(): void {
    const box = this.box().nativeElement;
    const found = box.selectionStart === box.selectionEnd ? mentionAt(box.value, box.selectionStart) : null;
    if (found?.start !== this.mention()?.start) this.active.set(0);
    this.mention.set(found);
  }

  protected pick(user: UserRef): void {
    const mention = this.mention();
    if (!mention) return;
    const { text, caret } = insertMention(this.draft(), mention, user.username);
    this.draft.set(text);
    this.mention.set(null);
    const box = this.box().nativeElement;
    box.value = text;
    box.setSelectionRange(caret, caret);
    box.focus();
  }

  protected onArrowDown(event: Event): void {
    if (this.suggestions().length === 0) return;
    event.preventDefault();
    this.active.update((index) => (index + 1) % this.suggestions().length);
  }

  protected onTab(event: Event): void {
    const user = this.suggestions()[this.active()];
    if (!user) return;
    event.preventDefault();
    this.pick(user);
  }

  protected onEnter(event: Event): void {
    if ((event as KeyboardEvent).shiftKey || (event as KeyboardEvent).isComposing) return;
    const suggested = this.suggestions()[this.active()];
    if (suggested) {
      event.preventDefault();
      this.pick(suggested);
      return;
    }
    event.preventDefault();
    this.submit();
  }

  focus(): void {
    this.box().nativeElement.focus();
  }

  protected onArrowUp(event: Event): void {
    const count = this.suggestions().length;
    if (count > 0) {
      event.preventDefault();
      this.active.update((index) => (index + count - 1) % count);
      return;
    }
    if (this.draft()) return;
    event.preventDefault();
    this.editLast.emit();
  }

  protected submit(): void {
    if (!this.canSend()) return;
    this.sent.emit(this.draft());
    this.draft.set('');
    this.stopTyping();
  }

  protected stopTyping(): void {
    clearTimeout(this.idleTimer);
    if (this.typingSince === 0) return;
    this.typingSince = 0;
    this.typing.emit(false);
  }
}
