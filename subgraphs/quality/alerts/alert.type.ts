import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from 'type-graphql';
import {
  ALERT_SEVERITIES,
  ALERT_TYPES,
  type AlertSeverity as AlertSeverityName,
  type AlertType as AlertTypeName,
} from '../../../insights/alert-stream';
import type { JsonValue } from '../../../insights/insight';
import { Connection } from '../../shared';

/** The GraphQL enum of alert types: the stream's `ALERT_TYPES`, one source of truth. */
export const AlertType = Object.fromEntries(ALERT_TYPES.map((name) => [name, name])) as { [K in AlertTypeName]: K };
registerEnumType(AlertType, {
  name: 'AlertType',
  description: 'What an alert is about.',
  valuesConfig: {
    DEFECT_RISK: { description: "A board's predicted defect risk crossed the operating threshold." },
    YIELD_AT_RISK: { description: "An order's predicted yield fell below its target." },
    TEST_FAILURE: { description: 'A test failure pattern (cluster) needs attention.' },
  },
});

/** The GraphQL enum of alert severities: the stream's `ALERT_SEVERITIES`. */
export const AlertSeverity = Object.fromEntries(ALERT_SEVERITIES.map((name) => [name, name])) as { [K in AlertSeverityName]: K };
registerEnumType(AlertSeverity, { name: 'AlertSeverity', description: 'How urgent an alert is: INFO, WARNING or CRITICAL.' });

@ObjectType({ description: 'Something on the line needs attention, raised by the AI layer and streamed to subscribers.' })
export class Alert {
  @Field(() => ID, { description: 'Unique and increasing (the alert stream entry id); pass it as `after` to resume without gaps.' })
  id!: string;

  @Field(() => AlertType)
  type!: AlertTypeName;

  @Field(() => AlertSeverity)
  severity!: AlertSeverityName;

  @Field({ description: 'What happened, for an operator.' })
  message!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the condition was detected.' })
  occurredAt!: Date;

  @Field(() => ID, { nullable: true, description: 'Serial number of the board concerned; see `board`.' })
  serialNumber!: string | null;

  @Field(() => ID, { nullable: true, description: 'NId of the production order concerned; see `productionOrder`.' })
  orderId!: string | null;

  @Field(() => ID, { nullable: true })
  workCenterId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The SMT line concerned.' })
  lineId!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Figures behind the alert (score, reference designators, model version), shaped by its type.' })
  details!: Record<string, JsonValue> | null;
}

/** A page of alerts; each edge's cursor is the alert's id. */
export const AlertConnection = Connection(Alert);
