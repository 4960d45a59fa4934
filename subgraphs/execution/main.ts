import { runSubgraph } from '../shared';
import { buildSchema } from './schema';

void runSubgraph('execution', buildSchema, { aiFields: true });
