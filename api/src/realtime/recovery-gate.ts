import { Socket } from 'socket.io';
import type { Namespace } from 'socket.io';

/** A session the adapter restored for a reconnecting client: its old id, rooms, data and missed packets. */
export type RestoredSession = NonNullable<Awaited<ReturnType<Namespace['adapter']['restoreSession']>>>;

/**
 * Who may get a restored session back. `identify` verifies the handshake credentials (null: no
 * recovery); `mayResume` decides, for that verified identity, whether this session's missed packets
 * may be written to it now.
 */
export interface RecoveryPolicy<Identity> {
  identify(auth: Record<string, unknown>): Promise<Identity | null>;
  mayResume(identity: Identity, session: RestoredSession): Promise<boolean>;
}

type SocketArgs = ConstructorParameters<typeof Socket>;

interface NamespaceInternals {
  _createSocket?: (client: SocketArgs[1], auth: SocketArgs[2]) => Promise<Socket>;
}

/**
 * socket.io 4.8 restores a session in `Namespace._createSocket`, and the `Socket` constructor
 * writes the missed packets at once — before any namespace middleware has run, so neither the
 * handshake's token nor the user's current rooms have been looked at
 * (node_modules/socket.io/dist/namespace.js `_add`/`_createSocket`, socket.js constructor). There is
 * no public hook between the restore and that write, so this replaces `_createSocket` on the
 * namespace with the same two outcomes (a restored socket or a fresh one) and puts the policy
 * first: a session is only restored for a verified identity that `mayResume` it. Anything else —
 * a bad token, another user, a room lost since, an error while checking — gets a plain fresh
 * socket, which the handshake middlewares then accept or refuse as for any new connection.
 */
export function gateRecovery<Identity>(namespace: Namespace, policy: RecoveryPolicy<Identity>): void {
  const internals = namespace as unknown as NamespaceInternals;
  if (typeof internals._createSocket !== 'function') {
    throw new Error(
      'socket.io no longer has Namespace._createSocket: connection state recovery cannot be gated',
    );
  }
  const nsp = namespace as unknown as SocketArgs[0];
  internals._createSocket = async (client, auth) => {
    const session = await restore(namespace, policy, auth);
    return session ? new Socket(nsp, client, auth, session) : new Socket(nsp, client, auth);
  };
}

async function restore<Identity>(
  namespace: Namespace,
  policy: RecoveryPolicy<Identity>,
  auth: Record<string, unknown>,
): Promise<RestoredSession | null> {
  const { pid, offset } = auth;
  if (!namespace.server._opts.connectionStateRecovery) return null;
  if (typeof pid !== 'string' || typeof offset !== 'string') return null;
  try {
    // Verified before the restore: a garbage token costs no stream read and consumes no session.
    const identity = await policy.identify(auth);
    if (identity === null) return null;
    const session = await namespace.adapter.restoreSession(pid, offset);
    if (!session) return null;
    return (await policy.mayResume(identity, session)) ? session : null;
  } catch {
    // The adapter rejects an unknown session or offset; a failed check fails closed.
    return null;
  }
}
