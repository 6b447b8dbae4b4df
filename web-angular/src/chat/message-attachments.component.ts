import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';

import { Attachment, AttachmentUrl } from '@chat/contracts';

import { fileSize } from '../shared/file-size';
import { AttachmentLinks } from './attachment-links';

interface Shown {
  attachment: Attachment;
  link: () => AttachmentUrl | null;
  image: boolean;
}

/**
 * A message's files: images as inline thumbnails that open full size in a lightbox, anything else
 * as a chip with its size that downloads. Links are signed per user (AttachmentLinks): an `<img>`
 * cannot send the token.
 */
@Component({
  selector: 'app-message-attachments',
  template: `
    <div class="attachments">
      @for (item of shown(); track item.attachment.id) {
        @if (item.image) {
          <button
            type="button"
            class="attachments__image"
            [attr.aria-label]="'Open image ' + item.attachment.name"
            (click)="open.set(item)"
          >
            @if (item.link()?.thumbnailUrl; as src) {
              <img [src]="src" [alt]="item.attachment.name" [style.aspect-ratio]="ratio(item.attachment)" />
            } @else {
              <span class="attachments__placeholder" [style.aspect-ratio]="ratio(item.attachment)"></span>
            }
          </button>
        } @else {
          <a
            class="attachments__file"
            data-testid="attachment-file"
            [attr.href]="item.link()?.url ?? null"
            [attr.download]="item.attachment.name"
          >
            <span class="attachments__name">{{ item.attachment.name }}</span>
            <span class="attachments__size">{{ size(item.attachment.size) }}</span>
          </a>
        }
      }
    </div>
    @if (open(); as item) {
      <div
        class="lightbox"
        role="dialog"
        aria-modal="true"
        [attr.aria-label]="item.attachment.name"
        (click)="open.set(null)"
      >
        @if (item.link()?.url; as src) {
          <img
            class="lightbox__image"
            [src]="src"
            [alt]="item.attachment.name"
            (click)="$event.stopPropagation()"
          />
        }
        <div class="lightbox__bar">
          <span>{{ item.attachment.name }} · {{ size(item.attachment.size) }}</span>
          <a
            [attr.href]="item.link()?.url ?? null"
            [attr.download]="item.attachment.name"
            (click)="$event.stopPropagation()"
            >Download</a
          >
          <button type="button" (click)="open.set(null)">Close</button>
        </div>
      </div>
    }
  `,
  styles: `
    .attachments {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      margin-top: 4px;
    }
    .attachments__image {
      padding: 0;
      border: 0;
      background: none;
      cursor: zoom-in;
    }
    .attachments__image img,
    .attachments__placeholder {
      display: block;
      max-width: 240px;
      max-height: 240px;
      width: 240px;
      height: auto;
      object-fit: cover;
      border-radius: 8px;
      background: var(--mat-sys-surface-container-high, #eee);
    }
    .attachments__file {
      display: inline-flex;
      gap: 8px;
      padding: 6px 12px;
      border-radius: 16px;
      background: var(--mat-sys-surface-container-high, #eee);
      color: inherit;
      text-decoration: none;
    }
    .attachments__size {
      opacity: 0.7;
    }
    .lightbox {
      position: fixed;
      inset: 0;
      z-index: 1000;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      gap: 12px;
      background: rgb(0 0 0 / 85%);
      color: #fff;
    }
    .lightbox__image {
      max-width: 92vw;
      max-height: 80vh;
      cursor: default;
    }
    .lightbox__bar {
      display: flex;
      gap: 16px;
      align-items: center;
    }
    .lightbox__bar a,
    .lightbox__bar button {
      color: #fff;
      background: none;
      border: 1px solid #fff;
      border-radius: 4px;
      padding: 4px 10px;
      font: inherit;
      text-decoration: none;
      cursor: pointer;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown.escape)': 'open.set(null)' },
})
export class MessageAttachmentsComponent {
  private readonly links = inject(AttachmentLinks);
  readonly attachments = input.required<readonly Attachment[]>();

  protected readonly open = signal<Shown | null>(null);
  protected readonly size = fileSize;
  protected readonly shown = computed(() =>
    this.attachments().map((attachment) => ({
      attachment,
      link: this.links.of(attachment.id),
      image: attachment.width !== undefined,
    })),
  );

  protected ratio(attachment: Attachment): string {
    return `${attachment.width ?? 1} / ${attachment.height ?? 1}`;
  }
}
