import type { ClusterStats } from '@chat/contracts';

/** Where "who is online" lives: this process alone, or Redis for the whole cluster. */
export interface PresenceStore {
  /** Counts a new connection of the user here; true when it is the user's first anywhere. */
  addConnection(userId: string): Promise<boolean>;
  /** Forgets one connection of the user here; true when the user has none left anywhere. */
  removeConnection(userId: string): Promise<boolean>;
  /** The user's open connections across the cluster. */
  connectionsOf(userId: string): Promise<number>;
  /** Of these users, the ones connected anywhere. */
  onlineAmong(userIds: readonly string[]): Promise<Set<string>>;
  stats(): Promise<ClusterStats>;
  /** Keeps this instance alive in the cluster view and removes instances that stopped doing so. Returns the users that went offline with them. */
  heartbeat(): Promise<string[]>;
  /** Removes this instance's connections from the cluster view (shutdown). */
  leave(): Promise<void>;
}
