import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { Limits } from '@chat/contracts';

import { fileSize } from '../shared/file-size';

/** What the composer hands over: the text and the files to go with it. */
export interface ComposerDraft {
  body: string;
  files: File[];
}

/** Typing signals are renewed this often while the user keeps typing, and dropped after this idle time. */
const TYPING_RENEW_MS = 3_000;
const TYPING_IDLE_MS = 4_000;

/**
 * The message box: Enter sends, Shift+Enter breaks the line; announces typing while in use. Files
 * come from the attach button, a drop on the box, or a paste (a screenshot); each shows as a chip
 * with its size until sent.
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
        <mat-label>Message</mat-label>
        <textarea
          matInput
          rows="1"
          [value]="draft()"
          (input)="onInput($event)"
          (keydown.enter)="onEnter($event)"
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
    textarea {
      max-height: 160px;
      field-sizing: content;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ComposerComponent {
  readonly disabled = input(false);
  readonly sent = output<ComposerDraft>();
  readonly typing = output<boolean>();

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
  private typingSince = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stopTyping());
  }

  protected onInput(event: Event): void {
    this.draft.set((event.target as HTMLTextAreaElement).value);
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

  protected onEnter(event: Event): void {
    if ((event as KeyboardEvent).shiftKey || (event as KeyboardEvent).isComposing) return;
    event.preventDefault();
    this.submit();
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
