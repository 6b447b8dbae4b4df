import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

import type { AppConfig } from '../config/app.config';

/**
 * The client's address of a request: the peer's, or the one a trusted proxy (TRUST_PROXY) put in
 * `X-Forwarded-For`. The same rule Express applies to `req.ip` with its `trust proxy` setting, for
 * requests Express does not see (the Socket.IO handshake).
 */
export function createClientAddress(
  trustProxy: AppConfig['trustProxy'],
): (request: IncomingMessage) => string {
  const trust = compileTrust(trustProxy);
  return (request) => proxyAddr(request, trust);
}

function compileTrust(trustProxy: AppConfig['trustProxy']): (address: string, hop: number) => boolean {
  if (trustProxy === true) return () => true;
  if (trustProxy === false) return () => false;
  if (typeof trustProxy === 'number') return (_address, hop) => hop < trustProxy;
  return proxyAddr.compile(trustProxy);
}
