import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { composeSupergraph, schemaFiles } from '../../scripts/compose';

const ROOT = join(__dirname, '..', '..');

describe('committed schema files', () => {
  it('match what the subgraphs compose to', async () => {
    const files = schemaFiles(await composeSupergraph());
    const stale: string[] = [];
    for (const [path, expected] of Object.entries(files)) {
      const committed = await readFile(join(ROOT, path), 'utf8').catch(() => undefined);
      if (committed !== expected) stale.push(`${path} is ${committed === undefined ? 'missing' : 'stale'}`);
    }
    if (stale.length) throw new Error(`${stale.join('\n')}\nrun npm run compose`);
  }, 60_000);
});
