import { defineConfig } from 'vitest/config';

// Reports go to <example root>/reports/web/ so CI collects every service the same way.
const reportsDir = '../../reports/web';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', 'junit'],
    outputFile: { junit: `${reportsDir}/junit.xml` },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/types.ts'],
      reporter: ['text', 'text-summary', 'lcov', 'json-summary'],
      reportsDirectory: `${reportsDir}/coverage`,
      thresholds: { lines: 75, statements: 75, functions: 75, branches: 70 },
    },
  },
});
