import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/service.ts', 'src/testing/index.ts', 'src/shared/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
