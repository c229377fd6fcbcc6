export * from './answers.ts';
export * from './questions.ts';
export * from './decide.ts';
