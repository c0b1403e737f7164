import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration tests share one Redis; each uses its own key prefix, but queue
    // tests must not run file-parallel (BullMQ advice in STACK.md).
    fileParallelism: false,
    env: { LOG_LEVEL: 'silent' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
