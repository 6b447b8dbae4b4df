import { Injectable, InjectionToken, inject } from '@angular/core';
import { Subject } from 'rxjs';

import { Attachment, ErrorBody, ErrorCode } from '@chat/contracts';
import { ChatApiError, ChatClient, ChatHttpClient } from '@chat/sdk';

/** The fetch the REST client uses; tests provide a fake server. */
export const API_FETCH = new InjectionToken<typeof fetch>('API_FETCH', {
  providedIn: 'root',
  factory: () => (input, init) => fetch(input, init),
});

/** Auth endpoints answer 401 for a wrong password: that is not an expired session. */
const AUTH_ENDPOINT = /\/api\/auth\/(login|register)$/;

/**
 * The app's one way to the server: the SDK client whose REST half pages and stores call through
 * `http`, and whose sockets ChatConnection opens. AuthStore swaps the token in place and listens to
 * `tokenRefused`.
 */
@Injectable({ providedIn: 'root' })
export class ChatApi {
  private readonly apiFetch = inject(API_FETCH);
  /** The server refused the token a request carried, and that token is still the current one. */
  readonly tokenRefused = new Subject<void>();
  readonly client = new ChatClient({
    baseUrl: '',
    fetch: (input, init) => this.fetchWatchingToken(input, init),
  });

  get http(): ChatHttpClient {
    return this.client.http;
  }

  /**
   * `POST /api/rooms/:id/attachments` through XMLHttpRequest, the browser API that reports upload
   * progress (fetch does not); errors are the SDK's, like every other call's.
   */
  upload(
    roomId: string,
    file: Blob,
    name: string,
    onProgress: (fraction: number) => void,
  ): Promise<Attachment> {
    const token = this.client.http.token;
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/rooms/${encodeURIComponent(roomId)}/attachments`);
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.responseType = 'json';
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      xhr.onload = () => {
        if (xhr.status === 201) return resolve(xhr.response as Attachment);
        if (xhr.status === 401 && token && token === this.client.http.token) this.tokenRefused.next();
        const body = (xhr.response as ErrorBody | null) ?? {
          code: ErrorCode.INTERNAL,
          message: `Upload failed (HTTP ${xhr.status})`,
        };
        reject(new ChatApiError(xhr.status, body));
      };
      xhr.onerror = () =>
        reject(new ChatApiError(0, { code: ErrorCode.UNAVAILABLE, message: 'Upload failed: no connection' }));
      const form = new FormData();
      form.append('file', file, name);
      xhr.send(form);
    });
  }

  private async fetchWatchingToken(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const sentWith = this.client.http.token;
    const response = await this.apiFetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    // Only if the refused token is still the current one: a late answer must not end a newer session.
    if (
      response.status === 401 &&
      sentWith &&
      sentWith === this.client.http.token &&
      !AUTH_ENDPOINT.test(url)
    ) {
      this.tokenRefused.next();
    }
    return response;
  }
}
