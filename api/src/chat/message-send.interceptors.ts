import { CallHandler, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, from, lastValueFrom, tap, throwError } from 'rxjs';

import { AckOk, ErrorCode, MessageSendResult } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { chatMetrics } from '../metrics/chat-metrics';
import { DrainService } from '../realtime/drain.service';

type SendAck = AckOk<MessageSendResult>;

/** Counts each `message:send` and times its ack, by outcome: stored, duplicate (a resend) or error. */
@Injectable()
export class SendMetricsInterceptor implements NestInterceptor<SendAck, SendAck> {
  intercept(_context: unknown, next: CallHandler<SendAck>): Observable<SendAck> {
    chatMetrics.messagesReceived.inc();
    const stopTimer = chatMetrics.ackSeconds.startTimer();
    const record = (outcome: 'stored' | 'duplicate' | 'error') => {
      chatMetrics.messagesAcked.inc({ outcome });
      stopTimer({ outcome });
    };
    return next
      .handle()
      .pipe(
        tap({ next: (ack) => record(ack.duplicate ? 'duplicate' : 'stored'), error: () => record('error') }),
      );
  }
}

/**
 * While the instance drains, refuses the write as UNAVAILABLE (the client retries on another
 * instance); otherwise holds the shutdown until the write has committed and acked.
 */
@Injectable()
export class DrainInterceptor<T> implements NestInterceptor<T, T> {
  constructor(private readonly drain: DrainService) {}

  intercept(_context: unknown, next: CallHandler<T>): Observable<T> {
    if (this.drain.draining) {
      return throwError(() => new AppError(ErrorCode.UNAVAILABLE, 'This instance is shutting down, retry'));
    }
    return from(this.drain.track(() => lastValueFrom(next.handle())));
  }
}
