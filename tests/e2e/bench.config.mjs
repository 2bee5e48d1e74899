// Benchmarks in the browser, not tests: run only on request, never by the
// suite (its testMatch is *.spec.mjs). Same browser and server set-up.
//   E2E_PORT=4191 npx playwright test --config tests/e2e/bench.config.mjs --project phone
import base from './playwright.config.mjs';

export default {
  ...base,
  testMatch: '*.bench.mjs',
  timeout: 600_000,
  projects: base.projects.filter((p) => p.name === 'phone'),
};
