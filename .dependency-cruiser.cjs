/**
 * The architecture, checked on every `npm test` (`npm run depcheck`): the domain core depends on
 * nothing; ports on the domain; application services on domain and ports; adapters implement ports
 * and never reach into the application; only the composition root (src/app) wires everything.
 * See the README's "Architecture" section.
 */
const APPLICATION = "^src/(auth|generation|idempotency|tasks|poller)/";
const ADAPTERS =
  "^src/(store|events|scheduler|rate-limit|upstream|limits|simulator|observability)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-is-the-core",
      comment:
        "The domain core (records, statuses, changes, the constraint table) imports nothing else from src/.",
      severity: "error",
      from: { path: "^src/domain/" },
      to: { path: "^src/", pathNot: "^src/domain/" },
    },
    {
      name: "ports-speak-domain",
      comment: "Ports are interfaces in domain terms.",
      severity: "error",
      from: { path: "^src/ports/" },
      to: { path: "^src/", pathNot: "^src/(domain|ports)/" },
    },
    {
      name: "errors-speak-domain",
      severity: "error",
      from: { path: "^src/errors/" },
      to: { path: "^src/", pathNot: "^src/(domain|errors)/" },
    },
    {
      name: "application-depends-inward",
      comment: "Services use ports, never an adapter, a transport or the composition root.",
      severity: "error",
      from: { path: APPLICATION },
      to: {
        path: "^src/",
        pathNot: `^src/(domain|ports|errors|observability/logger)|${APPLICATION}`,
      },
    },
    {
      name: "adapters-implement-ports",
      comment:
        "An adapter knows the domain and the port it implements, not the services or transports.",
      severity: "error",
      from: { path: ADAPTERS },
      to: { path: "^src/", pathNot: "^src/(domain|ports|errors|observability|$1)/" },
    },
    {
      name: "adapters-stay-in-their-folder",
      comment: "One adapter folder does not use another's internals.",
      severity: "error",
      from: { path: "^src/(store|events|scheduler|rate-limit|upstream|limits|observability)/" },
      to: {
        path: "^src/(store|events|scheduler|rate-limit|upstream|limits|simulator)/",
        pathNot: "^src/$1/",
      },
    },
    {
      name: "simulator-stands-alone",
      comment:
        "The APIMart simulator is a test double of the upstream: it shares no code with the gateway.",
      severity: "error",
      from: { path: "^src/simulator/" },
      to: { path: "^src/", pathNot: "^src/simulator/" },
    },
    {
      name: "graphql-maps-to-services",
      comment:
        "The GraphQL layer maps the schema to services; it never reaches an adapter directly.",
      severity: "error",
      from: { path: "^src/graphql/" },
      to: {
        path: "^src/(store|events|scheduler|rate-limit|upstream|simulator|transport|app|tools)/",
      },
    },
    {
      name: "transports-carry-graphql",
      comment:
        "Transports carry operations to the schema, through the one context factory and limits.",
      severity: "error",
      from: { path: "^src/transport/" },
      to: {
        path:
          "^src/(store|events|scheduler|rate-limit|upstream|simulator|app|tools)/|" + APPLICATION,
      },
    },
    {
      name: "only-the-composition-root-wires",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/(app|tools)/" },
      to: { path: "^src/app/" },
    },
    {
      name: "web-page-stands-alone",
      comment:
        "The demo page is browser code bundled on its own (src/web/tsconfig.json): it talks to the gateway over GraphQL only, with operations generated from schema/.",
      severity: "error",
      from: { path: "^src/web/" },
      to: { path: "^src/", pathNot: "^src/web/" },
    },
    {
      name: "server-never-imports-the-web-page",
      comment: "The server serves the built page (dist/web) as files; it never loads its code.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/web/" },
      to: { path: "^src/web/" },
    },
    {
      name: "no-module-cycles",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-folder-cycles",
      comment: "A folder never imports a folder that imports it back.",
      severity: "error",
      scope: "folder",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "src-never-imports-tests-or-dev-tools",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(test|bench)/" },
    },
    {
      name: "src-needs-only-runtime-dependencies",
      severity: "error",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["cjs", "es6"],
  },
};
