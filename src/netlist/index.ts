export * from './ir.js';
export * from './builder.js';
