import { HttpException } from '@nestjs/common';
import { STATUS_CODES, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import type { HttpErrorResponse } from '@chat/contracts';

import { mapError } from './error-mapping';

/** Node's own statuses for what its HTTP parser refuses (lib/_http_server.js, socketOnError). */
const STATUS_OF_PARSER_ERROR: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Requests Node's HTTP parser refuses never reach Express: a URL or headers over its 16 KB limit,
 * malformed HTTP. Node answers those with a bare status line; this answers with the same status and
 * the contract's error body, then closes the connection as Node does.
 */
export function answerParserErrorsWithContractBody(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    // As Node does: write only if no response to this connection has started.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent && error.code !== 'ECONNRESET') {
      const status = STATUS_OF_PARSER_ERROR[error.code ?? ''] ?? 400;
      const { body } = mapError(new HttpException(STATUS_CODES[status] ?? 'Bad Request', status));
      const payload = JSON.stringify({ statusCode: status, ...body } satisfies HttpErrorResponse);
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
      );
    }
    socket.destroy(error);
  });
}
