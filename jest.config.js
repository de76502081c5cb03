/** What every project shares. */
const base = {
  testEnvironment: "node",
  setupFiles: ["reflect-metadata"],
  transform: {
    // 151002: ts-jest suggests isolatedModules for node16 modules; decorator metadata needs it off.
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { ignoreCodes: [151002] } }],
  },
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...base,
      // Unit and contract tests, and the integration tests on SQLite, the embedded default.
      displayName: "sqlite",
      roots: ["<rootDir>/test"],
      testMatch: ["**/*.test.ts"],
    },
    {
      ...base,
      // The integration tests again, each gateway on a new PostgreSQL database (TEST_STORE=postgres).
      displayName: "postgres",
      roots: ["<rootDir>/test/integration"],
      testMatch: ["**/*.test.ts"],
      // The simulator's own tests use no store; the PostgreSQL-only ones already ran above.
      testPathIgnorePatterns: ["/simulator\\.[^/]*\\.test\\.ts$", "/postgres-[^/]*\\.test\\.ts$"],
      setupFiles: [...base.setupFiles, "<rootDir>/test/helpers/postgres-store.setup.ts"],
    },
  ],
};
