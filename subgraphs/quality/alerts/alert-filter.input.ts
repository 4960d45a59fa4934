import { Field, ID, InputType } from 'type-graphql';
import type { Alert as StoredAlert, AlertSeverity as AlertSeverityName, AlertType as AlertTypeName } from '../../../insights/alert-stream';
import { AlertSeverity, AlertType } from './alert.type';

@InputType({ description: 'Narrows alerts: every field given must match (AND); a list matches any of its values (OR). An absent or empty list matches all.' })
export class AlertFilter {
  @Field(() => [AlertType], { nullable: true })
  types?: AlertTypeName[] | null;

  @Field(() => [AlertSeverity], { nullable: true })
  severities?: AlertSeverityName[] | null;

  @Field(() => [ID], { nullable: true, description: 'SMT line ids.' })
  lines?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Work center ids.' })
  workCenters?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Production order NIds.' })
  orders?: string[] | null;
}

/** Whether a stored alert passes the filter (see {@link AlertFilter}). */
export function matchesAlertFilter(alert: StoredAlert, filter: AlertFilter | null | undefined): boolean {
  if (!filter) return true;
  const allows = <T>(values: T[] | null | undefined, value: T | undefined) => !values || values.length === 0 || (value !== undefined && values.includes(value));
  return (
    allows(filter.types, alert.type) &&
    allows(filter.severities, alert.severity) &&
    allows(filter.lines, alert.subjects.lineId) &&
    allows(filter.workCenters, alert.subjects.workCenterId) &&
    allows(filter.orders, alert.subjects.orderId)
  );
}
