/** Writes service-config.schema.json from the zod schema (`npm run schema`). */
import { writeFileSync } from 'node:fs';
import { serviceConfigJsonSchema } from '../src/service/load-service-config.js';

writeFileSync(
  new URL('../service-config.schema.json', import.meta.url),
  `${JSON.stringify(serviceConfigJsonSchema(), null, 2)}\n`,
);
