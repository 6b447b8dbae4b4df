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

import { fileSize } from '../shared/file-size';
import { insertMention, mentionAt, suggestMembers } from './mention-suggestions';

/** What the composer hands over: the text and the files to go with it. */
export interface ComposerDraft {
  body: string;
  files: File[];
}

/** Typing signals are renewed this often while the user keeps typing, and dropped after this idle time. */
const TYPING_RENEW_MS = 3_000;
const TYPING_IDLE_MS = 4_000;
/** Gives each composer's suggestion list its own id (a room page has two: timeline and thread). */
let composers = 0;

/**
 * The message box: Enter sends, Shift+Enter breaks the line, Up in an empty box edits the user's
 * last message, `@` suggests room members (arrows move, Enter or Tab picks, Escape dismisses);
 * announces typing while in use. Files come from the attach button, a drop on the box, or a paste
 * (a screenshot); each shows as a chip with its size until sent.
 */
@Component({
  selector: 'app-composer',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <form
      class="composer"
      [class.composer--dropping]="dropping()"
      (submit)="$event.preventDefault(); submit()"
      (dragover)="onDragOver($event)"
      (dragleave)="dropping.set(false)"
      (drop)="onDrop($event)"
    >
      @if (files().length > 0) {
        <ul class="composer__files" aria-label="Files to send">
          @for (file of files(); track $index) {
            <li class="composer__chip" data-testid="file-chip">
              <span class="composer__chip-name">{{ file.name }}</span>
              <span class="composer__chip-size">{{ size(file.size) }}</span>
              <button
                type="button"
                class="composer__chip-remove"
                [attr.aria-label]="'Remove ' + file.name"
                (click)="remove($index)"
              >
                ×
              </button>
            </li>
          }
        </ul>
      }
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
      <input #picker type="file" multiple hidden data-testid="file-input" (change)="onPicked($event)" />
      <button
        matIconButton
        type="button"
        aria-label="Attach files"
        title="Attach files"
        (click)="picker.click()"
      >
        📎
      </button>
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
          (paste)="onPaste($event)"
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
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      padding: 8px 12px 12px;
      border-radius: 8px;
    }
    .composer--dropping {
      outline: 2px dashed var(--mat-sys-primary, #3f51b5);
    }
    .composer__files {
      flex-basis: 100%;
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .composer__chip {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 2px 4px 2px 10px;
      border-radius: 16px;
      background: var(--mat-sys-surface-container-high, #eee);
      font-size: 13px;
    }
    .composer__chip-name {
      max-width: 220px;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .composer__chip-size {
      opacity: 0.7;
    }
    .composer__chip-remove {
      border: 0;
      background: none;
      cursor: pointer;
      font-size: 16px;
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
  readonly sent = output<ComposerDraft>();
  readonly typing = output<boolean>();
  readonly editLast = output<void>();

  protected readonly maxLength = Limits.MESSAGE_BODY_MAX;
  protected readonly draft = signal('');
  protected readonly files = signal<File[]>([]);
  protected readonly dropping = signal(false);
  protected readonly size = fileSize;
  protected readonly remaining = computed(() => this.maxLength - this.draft().length);
  protected readonly canSend = computed(
    () =>
      !this.disabled() &&
      (this.draft().trim().length > 0 || this.files().length > 0) &&
      this.remaining() >= 0 &&
      this.files().length <= Limits.ATTACHMENTS_PER_MESSAGE,
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
    this.sent.emit({ body: this.draft(), files: this.files() });
    this.draft.set('');
    this.files.set([]);
    this.stopTyping();
  }

  protected onPicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.add(input.files);
    input.value = '';
  }

  /** A pasted screenshot (or copied file) becomes an attachment; pasted text stays text. */
  protected onPaste(event: ClipboardEvent): void {
    const files = event.clipboardData?.files;
    if (!files || files.length === 0) return;
    event.preventDefault();
    this.add(files);
  }

  protected onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    this.dropping.set(true);
  }

  protected onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dropping.set(false);
    this.add(event.dataTransfer?.files ?? null);
  }

  protected remove(index: number): void {
    this.files.update((files) => files.filter((_, i) => i !== index));
  }

  private add(list: FileList | null): void {
    if (!list) return;
    const added = Array.from(list).map((file) =>
      // A pasted screenshot is called image.png whatever it is; a time makes two of them tell apart.
      file.name === 'image.png'
        ? new File([file], `screenshot-${Date.now()}.png`, { type: file.type })
        : file,
    );
    this.files.update((files) => [...files, ...added].slice(0, Limits.ATTACHMENTS_PER_MESSAGE));
  }

  protected stopTyping(): void {
    clearTimeout(this.idleTimer);
    if (this.typingSince === 0) return;
    this.typingSince = 0;
    this.typing.emit(false);
  }
}
