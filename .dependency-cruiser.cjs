/**
 * The layer rules of src/ (docs/architecture.md, "Layers"), checked by `npm run depcruise` as part
 * of `npm run lint`: an arrow that breaks a rule fails the lint (issue #24 removed the last known ones).
 */
const FEATURES = '(admin|brm|hrm|frr-server)';
/** Protocol and policy logic: plain TypeScript, easy to test and to read. */
const PLAIN = '^src/(brm/core|hrm/core|frr-server/bmp)/';
const SPECS = '\\.spec\\.ts$';

/* global module */
module.exports = {
  forbidden: [
    {
      name: 'plain-core',
      comment: 'core/ and frr-server/bmp/ hold protocol and policy logic: no framework, ORM, database, Kafka or SSH client.',
      severity: 'error',
      from: { path: PLAIN, pathNot: SPECS },
      to: { path: '^node_modules/(@nestjs|typeorm|mysql2|kafkajs|ssh2|nestjs-pino|pino|prom-client)/' },
    },
    {
      name: 'plain-core-stays-plain',
      comment: 'core/ and frr-server/bmp/ import only plain modules: never a service, controller or store of a feature.',
      severity: 'error',
      from: { path: PLAIN, pathNot: SPECS },
      to: { path: `^src/${FEATURES}/`, pathNot: PLAIN },
    },
    {
      name: 'no-feature-internals',
      comment: 'A feature uses another through its Nest module and the services it exports, not its stores, entities or helpers.',
      severity: 'error',
      from: { path: `^src/${FEATURES}/`, pathNot: SPECS },
      to: { path: `^src/${FEATURES}/`, pathNot: ['^src/$1/', '\\.(module|service)\\.ts$'] },
    },
    {
      name: 'common-below-features',
      comment: 'common/ is what the features share; it never imports a feature.',
      severity: 'error',
      from: { path: '^src/common/', pathNot: SPECS },
      to: { path: `^src/${FEATURES}/` },
    },
    {
      name: 'no-circular',
      comment: 'Circles, type-only ones included, mean a shared type lives in the wrong file.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
