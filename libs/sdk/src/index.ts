export * from './chat-client';
export * from './chat-socket';
export * from './errors';
export * from './http-client';
export * from './ids';
export * from './room-feed';
