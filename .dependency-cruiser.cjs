/**
 * The rules of the house, as dependency-cruiser checks them (`npm run lint:deps`, part of `npm test`).
 * This file is the executable description of the architecture (docs: DESIGN.md, README "The rules of
 * the house"): each rule says what it protects, and no hand-kept list of folders elsewhere repeats it.
 *
 * Browser-safe means: the file may end up in the page or in the sandbox Worker. Every file under src/
 * is browser-safe except the command line (src/cli/) and the Node-only adapters, which say so in
 * their names (`*.node.ts`).
 */

/** The Node-only part of src/: the command line and the adapters named `*.node.ts`. */
const nodeOnly = ['^src/cli/', '[.]node[.]ts$'];

/**
 * Node built-ins the browser gets from an npm package of the same name (`buffer`, `events`, both
 * dependencies): Vite bundles the package for the page and the Worker. Any other built-in has no
 * browser counterpart.
 */
const builtinsWithBrowserPackage = '^(buffer|events)$';

/** The sandbox Worker and the page's side of its protocol: the one door from the page to the engine. */
const workerClient = '^src/components/sandbox/(engine[.]worker|engine-in-worker|engine-client|worker-messages|protocol)[.]ts$';

const rules = [
  {
    name: 'no-cycles',
    comment:
      'Dependencies run one way (DESIGN.md, "The engine"). Two modules that import each other are one concern split in two, ' +
      'or a lower layer reaching up; either way neither can be read, tested or loaded without the other.',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
  {
    name: 'no-folder-cycles',
    comment:
      'The same, one level up: each folder is one concern (clock, net, the service models, metrics, world; wizard, templates, run), ' +
      'and concerns depend on each other one way, so a folder can be understood from the folders below it.',
    severity: 'error',
    scope: 'folder',
    from: {},
    to: { circular: true },
  },
  {
    name: 'engine-imports-only-facts',
    comment:
      'The engine (src/engine) is the bottom of the house: the run layer, the CLI, the tests and the Worker call it, never the other way round. ' +
      'Besides itself it reads only the cited numbers in src/facts, so no sandbox, run or template can change what the simulation does.',
    severity: 'error',
    from: { path: '^src/engine/' },
    to: { path: '^src/', pathNot: '^src/(engine|facts)/' },
  },
  {
    name: 'aws-emulators-stand-alone',
    comment:
      'Each AWS service emulator (Data API, DynamoDB, SQS, Secrets Manager) models one service with its own limits; what they share (the emulated HTTP plumbing, timers) ' +
      'lives in src/engine/net, so one emulator can change without moving another.',
    severity: 'error',
    from: { path: '^src/engine/(dataapi|dynamodb|sqs|secretsmanager)/' },
    to: { path: '^src/engine/(dataapi|dynamodb|sqs|secretsmanager)/', pathNot: '^src/engine/$1/' },
  },
  {
    name: 'pure-generators-need-no-engine',
    comment:
      'The wizard, the templates and the doctor are pure functions of answers or syntax trees, shipped to the wizard and doctor pages: ' +
      'importing the engine or the run layer would pull PGlite and the simulation into a page that never runs one.',
    severity: 'error',
    from: { path: '^src/(templates|wizard|doctor)/' },
    to: { path: '^src/(engine|run)/' },
  },
  {
    name: 'pure-generators-stay-small',
    comment:
      'The wizard page runs the wizard and the templates in the browser: besides source files of the project they use zod (the option schemas) ' +
      'and fflate (the zip), and nothing else that would weigh on the page.',
    severity: 'error',
    from: { path: '^src/(templates|wizard)/' },
    to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '(^|/)node_modules/(zod|fflate)/' },
  },
  {
    name: 'no-node-builtin-in-browser-safe-code',
    comment:
      'The engine runs unchanged in a Web Worker (DESIGN.md principle 5), and the wizard, the sandboxes and the islands run in the page: ' +
      'a Node built-in breaks them there. Code that needs Node lives in a `*.node.ts` adapter or in src/cli.',
    severity: 'error',
    from: { path: '^src/', pathNot: nodeOnly },
    to: { dependencyTypes: ['core'], pathNot: builtinsWithBrowserPackage },
  },
  {
    name: 'no-node-adapter-in-browser-safe-code',
    comment: 'The same rule one step further: a browser-safe file that imports a `*.node.ts` adapter carries its Node built-ins along.',
    severity: 'error',
    from: { path: '^src/', pathNot: nodeOnly },
    to: { path: '[.]node[.]ts$' },
  },
  {
    name: 'islands-reach-the-engine-through-the-worker',
    comment:
      'Islands talk to the engine only through the Worker and the RunReport it returns (DESIGN.md principle 5): the page stays light and responsive, ' +
      'and a run in the page is the run the CLI and the tests make. Types may cross (they carry no code); the Worker itself hosts the engine and calls src/run.',
    severity: 'error',
    from: { path: '^src/components/', pathNot: workerClient },
    to: { path: '^src/engine/', dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'every-import-resolves',
    comment:
      'An import the tool cannot resolve is an edge it cannot check, and every rule above would pass it silently. ' +
      'The virtual modules Astro and Vite provide at build time are the only exceptions.',
    severity: 'error',
    from: { path: '^src/' },
    to: { couldNotResolve: true, pathNot: ['^astro:', '^virtual:', '[?]url$'] },
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: rules,
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are edges of the architecture too: a cycle through types is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      // Packages such as shiki publish their entry points in `exports` only.
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
