import type { ClusterStats } from '@chat/contracts';

import type { PresenceStore } from './presence-store';

/** Single-instance mode: the process is the whole cluster. */
export class MemoryPresenceStore implements PresenceStore {
  private readonly connections = new Map<string, number>();
  private total = 0;

  constructor(private readonly instanceId: string) {}

  async addConnection(userId: string): Promise<boolean> {
    const count = (this.connections.get(userId) ?? 0) + 1;
    this.connections.set(userId, count);
    this.total++;
    return count === 1;
  }

  async removeConnection(userId: string): Promise<boolean> {
    const count = this.connections.get(userId) ?? 0;
    if (count === 0) return false;
    this.total--;
    if (count === 1) {
      this.connections.delete(userId);
      return true;
    }
    this.connections.set(userId, count - 1);
    return false;
  }

  async connectionsOf(userId: string): Promise<number> {
    return this.connections.get(userId) ?? 0;
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.connections.has(id)));
  }

  async stats(): Promise<ClusterStats> {
    return {
      onlineUsers: this.connections.size,
      connections: this.total,
      instances: [{ id: this.instanceId, connections: this.total }],
    };
  }

  async heartbeat(): Promise<string[]> {
    return [];
  }

  async leave(): Promise<void> {
    this.connections.clear();
    this.total = 0;
  }
}
