export * from './chat-client';
export * from './chat-socket';
export * from './errors';
export * from './http-client';
export * from './room-feed';
export { isTransient } from './retry-policy';
export { randomUuid } from './uuid';
export * from './conversation-updates';
