/**
 * Generates src/spec/schema.json from the notebook types (`npm run schema`). The schema is
 * committed so the app validates links without the TypeScript compiler; tests/spec/schema.test.ts
 * regenerates it and fails when the committed file has drifted from the types.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA_PATH = `${root}src/spec/schema.json`;

export function generateNotebookSchema(): object {
  const generator = createGenerator({
    path: `${root}src/spec/notebook.ts`,
    tsconfig: `${root}tsconfig.json`,
    type: 'Notebook',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    additionalProperties: false,
    sortProps: true,
    // Read by src/spec/validate.ts to explain a failed pattern in words.
    extraTags: ['errorMessage'],
    // Only the one file matters; checking the whole project would make the schema depend on
    // everyone else's type errors.
    skipTypeCheck: true,
  });
  return generator.createSchema('Notebook');
}

export function schemaText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(SCHEMA_PATH, schemaText(generateNotebookSchema()));
  // Biome owns the layout of every file, this one included.
  execFileSync(`${root}node_modules/.bin/biome`, ['format', '--write', SCHEMA_PATH], { stdio: 'inherit' });
  console.log(`wrote ${SCHEMA_PATH}`);
}
