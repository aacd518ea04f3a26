// Writes docs/workflow-input.schema.json from the zod schema of the workflow input (run after a build).
import { writeFileSync } from 'node:fs';
import { workflowInputJsonSchema } from '../dist/src/study/input.js';

const file = new URL('../docs/workflow-input.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(workflowInputJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${file.pathname}\n`);
