import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSchema as buildExecution } from '../subgraphs/execution/schema';
import { buildSchema as buildGenealogy } from '../subgraphs/genealogy/schema';
import { buildSchema as buildQuality } from '../subgraphs/quality/schema';
import { buildSchema as buildTest } from '../subgraphs/test/schema';
import { SUBGRAPH_PORTS, type SubgraphName } from '../subgraphs/shared/config';

/** Each subgraph's schema builder. */
const SUBGRAPHS: Record<SubgraphName, () => Promise<GraphQLSchema>> = {
  execution: buildExecution,
  quality: buildQuality,
  test: buildTest,
  genealogy: buildGenealogy,
};

/** The committed schema folder, relative to the repository root. */
export const SCHEMA_DIR = 'schema';

/** Every subgraph's SDL and the composed supergraph SDL, as `npm run compose` writes them. */
export interface ComposedSchemas {
  /** Subgraph name → SDL (`schema/<name>.graphql`). */
  subgraphs: Record<string, string>;
  /** `schema/supergraph.graphql`. */
  supergraph: string;
}

/**
 * Builds each subgraph's schema and composes the supergraph (subgraph URLs are the default ports; the
 * gateway overrides them at run time). Throws listing the composition errors when it does not compose.
 */
export async function composeSupergraph(): Promise<ComposedSchemas> {
  const subgraphs: Record<string, string> = {};
  for (const [name, build] of Object.entries(SUBGRAPHS)) subgraphs[name] = printSubgraphSchema(await build());
  const result = composeServices(
    Object.entries(subgraphs).map(([name, sdl]) => ({
      name,
      url: `http://127.0.0.1:${SUBGRAPH_PORTS[name as SubgraphName]}/graphql`,
      typeDefs: parse(sdl),
    })),
  );
  if (result.errors) {
    throw new Error(`The subgraphs do not compose:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
  }
  return { subgraphs, supergraph: result.supergraphSdl };
}

/** The files `npm run compose` writes, by path relative to the repository root. */
export function schemaFiles(schemas: ComposedSchemas): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, sdl] of Object.entries(schemas.subgraphs)) files[join(SCHEMA_DIR, `${name}.graphql`)] = withNewline(sdl);
  files[join(SCHEMA_DIR, 'supergraph.graphql')] = withNewline(schemas.supergraph);
  return files;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const files = schemaFiles(await composeSupergraph());
  await mkdir(join(root, SCHEMA_DIR), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const current = await readFile(join(root, path), 'utf8').catch(() => undefined);
    if (current === content) {
      console.log(`unchanged ${path}`);
      continue;
    }
    await writeFile(join(root, path), content);
    console.log(`wrote     ${path}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
