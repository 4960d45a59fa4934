import { runSubgraph } from '../shared';
import { buildSchema } from './schema';

void runSubgraph('quality', buildSchema, { aiFields: true });
