import { Logger } from '@nestjs/common';

import { chatMetrics } from '../metrics/chat-metrics';

/**
 * Last-resort handling of errors nothing else caught, so one bad request cannot end the process.
 * A rejected promise nobody awaited (typically a library's async callback) is a failed operation,
 * not corrupted state: it is logged and counted, and the instance keeps serving. An uncaught
 * exception may have left any state half-changed (Node's docs: "it is not safe to resume normal
 * operation"): it is logged, then the instance shuts down as on SIGTERM — drains sockets, closes
 * connections — and exits 1 for the orchestrator to restart it. Returns what removes the handlers.
 */
export function installProcessGuards(shutdown: (exitCode: number) => void): () => void {
  const logger = new Logger('Process');
  const onRejection = (reason: unknown) => {
    chatMetrics.unhandledRejections.inc();
    logger.error(
      { err: reason instanceof Error ? reason : new Error(String(reason)) },
      'Unhandled promise rejection (the instance keeps serving)',
    );
  };
  const onException = (error: Error) => {
    logger.fatal({ err: error }, 'Uncaught exception: shutting down');
    shutdown(1);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
