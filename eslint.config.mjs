import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

import libDomainCycles from "./eslint-rules/lib-domain-cycles.mjs";

const TESTS = ["**/*.test.ts", "**/*.test.tsx"];

/**
 * Dependencies point one way: app/ → components/ → lib/ → db/. Components call server actions from
 * lib/<domain>/actions.ts (or get them as props), never from app/; db/ is the bottom layer (its
 * configuration is db/config.ts; slow statements go out on a diagnostics channel that lib/log
 * writes); lib/ never reaches up into app/ or components/. Tests exercise the whole stack and are
 * exempt.
 */
const layers = [
  { target: "./components", from: "./app", message: "components/ never import app/: import the server action from lib/<domain>/actions.ts, or take it as a prop." },
  { target: "./lib", from: ["./app", "./components"], message: "lib/ never imports app/ or components/." },
  { target: "./db", from: ["./lib", "./app", "./components"], message: "db/ is the bottom layer and never imports lib/, app/ or components/ (demo data that needs domain code lives in lib/demo)." },
];

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [".next/**", ".data/**", "node_modules/**", "db/migrations/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    // Playwright fixtures pass a `use` callback that is not React's `use` hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    files: ["app/**", "components/**", "lib/**", "db/**"],
    ignores: TESTS,
    plugins: { local: { rules: { "lib-domain-cycles": libDomainCycles } } },
    rules: {
      "import/no-restricted-paths": ["error", { zones: layers }],
      "local/lib-domain-cycles": "error",
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
];

export default config;
