import { Ctx, Query, Resolver } from 'type-graphql';
import { readWorkerHeartbeats } from '../../../insights/worker-registry';
import { MODEL_NAMES } from '../../../models/model-files';
import { UpstreamUnavailableError, type SubgraphContext } from '../../shared';
import { AiStatus } from './ai-status.type';

@Resolver()
export class AiStatusResolver {
  @Query(() => AiStatus, { description: 'Models, versions, execution providers in use and queue depths of the AI layer.' })
  async aiStatus(@Ctx() ctx: SubgraphContext): Promise<AiStatus> {
    const ai = ctx.ai?.insights;
    if (ai === undefined) throw new UpstreamUnavailableError('This quality subgraph runs without the AI layer (no Redis configured).');
    let heartbeats, depths;
    try {
      [heartbeats, depths] = await Promise.all([readWorkerHeartbeats(ai.redis, ai.keyPrefix), ai.queues.depths()]);
    } catch (error) {
      throw new UpstreamUnavailableError(`The AI layer cannot be reached (${error instanceof Error ? error.message : String(error)}); try again shortly.`);
    }
    return {
      workers: heartbeats.length,
      models: MODEL_NAMES.map((name) => {
        const version = ai.versions[name];
        const serving = heartbeats.flatMap((h) => h.models.filter((m) => m.name === name));
        return {
          name,
          version,
          workers: serving.filter((m) => m.version === version).length,
          providers: [...new Set(serving.filter((m) => m.version === version).map((m) => m.provider))].sort(),
          otherVersions: [...new Set(serving.filter((m) => m.version !== version).map((m) => m.version))].sort(),
        };
      }),
      queues: MODEL_NAMES.map((name) => ({ name, ...depths[name] })),
    };
  }
}
