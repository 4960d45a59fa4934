import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A model the graph serves, and the workers running it.' })
export class AiModelStatus {
  @Field()
  name!: string;

  @Field({ description: "The version the AI fields ask for (the shipped model card's)." })
  version!: string;

  @Field(() => Int, { description: 'Live workers serving this version.' })
  workers!: number;

  @Field(() => [String], { description: 'Execution providers those workers run it on (e.g. cpu, cuda).' })
  providers!: string[];

  @Field(() => [String], { description: 'Other versions some live worker still serves (during a rollout).' })
  otherVersions!: string[];
}

@ObjectType({ description: "A model queue's jobs by state." })
export class AiQueueStatus {
  @Field()
  name!: string;

  @Field(() => Int)
  waiting!: number;

  @Field(() => Int)
  active!: number;

  @Field(() => Int)
  delayed!: number;

  @Field(() => Int, { description: 'Failed jobs kept for inspection (a day, at most 10,000).' })
  failed!: number;
}

@ObjectType({ description: 'The AI layer as the graph sees it: models, workers, queues.' })
export class AiStatus {
  @Field(() => [AiModelStatus])
  models!: AiModelStatus[];

  @Field(() => [AiQueueStatus])
  queues!: AiQueueStatus[];

  @Field(() => Int, { description: 'Live worker processes (a heartbeat within the last 15 s).' })
  workers!: number;
}
