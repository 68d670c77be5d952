export * from './handler.decorator.js';
export * from './messaging.module.js';
