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

import { Limits } from '@chat/contracts';

/** Typing signals are renewed this often while the user keeps typing, and dropped after this idle time. */
const TYPING_RENEW_MS = 3_000;
const TYPING_IDLE_MS = 4_000;

/**
 * The message box: Enter sends, Shift+Enter breaks the line, Up in an empty box edits the user's
 * last message; announces typing while in use.
 */
@Component({
  selector: 'app-composer',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <form class="composer" (submit)="$event.preventDefault(); submit()">
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
      align-items: center;
      gap: 8px;
      padding: 8px 12px 12px;
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
  readonly label = input('Message');
  readonly sent = output<string>();
  readonly typing = output<boolean>();
  readonly editLast = output<void>();

  protected readonly maxLength = Limits.MESSAGE_BODY_MAX;
  protected readonly draft = signal('');
  protected readonly remaining = computed(() => this.maxLength - this.draft().length);
  protected readonly canSend = computed(
    () => !this.disabled() && this.draft().trim().length > 0 && this.remaining() >= 0,
  );
  private readonly box = viewChild.required<ElementRef<HTMLTextAreaElement>>('box');
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

  focus(): void {
    this.box().nativeElement.focus();
  }

  protected onArrowUp(event: Event): void {
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
