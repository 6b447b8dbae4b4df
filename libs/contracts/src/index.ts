export * from './errors';
export * from './events';
export * from './http';
export * from './limits';
export * from './models';
