import { InvalidJobPayloadError } from './errors';
import { jobIdFor, parseJobPayload, queueNameFor, subjectOf, type PredictOrderYieldJob, type ScoreBoardJob } from './jobs';

const board = (serialNumber: string, modelVersion = '1.0.0'): ScoreBoardJob => ({
  kind: 'score-board',
  serialNumber,
  modelName: 'spi-defect-risk',
  modelVersion,
  reason: 'query',
});

const order = (orderId: string, modelVersion = '1.0.0'): PredictOrderYieldJob => ({
  kind: 'predict-order-yield',
  orderId,
  modelName: 'yield-predictor',
  modelVersion,
  reason: 'event',
});

function payloadError(value: unknown): InvalidJobPayloadError {
  try {
    parseJobPayload(value);
  } catch (error) {
    if (error instanceof InvalidJobPayloadError) return error;
    throw error;
  }
  throw new Error('expected the payload to be rejected');
}

describe('jobIdFor', () => {
  it('gives the same id for the same subject and model version, whatever the reason or correlation id', () => {
    expect(jobIdFor(board('GWM261118000001'))).toBe('score-board~1.0.0~GWM261118000001');
    expect(jobIdFor({ ...board('GWM261118000001'), reason: 'event', correlationId: 'req-9' })).toBe(
      jobIdFor(board('GWM261118000001')),
    );
  });

  it('gives distinct ids per subject, per model version and per kind', () => {
    const ids = [
      jobIdFor(board('A1')),
      jobIdFor(board('A2')),
      jobIdFor(board('A1', '1.1.0')),
      jobIdFor(order('A1')),
      jobIdFor(order('A1', '1.1.0')),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('encodes odd characters so that the id has no colon and parts cannot run into each other', () => {
    const id = jobIdFor(board('SN:42/ä b~%', 'v2:rc~1'));
    expect(id).not.toContain(':');
    expect(id).toMatch(/^score-board~[A-Za-z0-9._%-]+~[A-Za-z0-9._%-]+$/);
    expect(id).toBe('score-board~v2%3Arc%7E1~SN%3A42%2F%C3%A4%20b%7E%25');
    expect(jobIdFor(board('2~3', '1'))).not.toBe(jobIdFor(board('3', '1~2')));
  });

  it('never gives an integer id, even for a numeric order number', () => {
    const id = jobIdFor(order('100234'));
    expect(`${parseInt(id, 10)}`).not.toBe(id);
  });
});

describe('subjectOf and queueNameFor', () => {
  it('map each kind to its subject and its model queue', () => {
    expect(subjectOf(board('SN1'))).toEqual({ subjectType: 'board', subjectId: 'SN1' });
    expect(subjectOf(order('ORD-1'))).toEqual({ subjectType: 'order', subjectId: 'ORD-1' });
    expect(queueNameFor(board('SN1'))).toBe('spi-defect-risk');
    expect(queueNameFor(order('ORD-1'))).toBe('yield-predictor');
  });
});

describe('parseJobPayload', () => {
  it('accepts both kinds after a JSON round trip and drops unknown fields', () => {
    const withExtra = { ...board('SN1'), correlationId: 'c-1', addedLater: true };
    expect(parseJobPayload(JSON.parse(JSON.stringify(withExtra)))).toEqual({ ...board('SN1'), correlationId: 'c-1' });
    expect(parseJobPayload(order('ORD-1'))).toEqual(order('ORD-1'));
  });

  it.each([
    ['a missing serial number', { ...board('x'), serialNumber: undefined }, 'serialNumber'],
    ['an empty order number', order(''), 'orderId'],
    ['an unknown kind', { ...board('x'), kind: 'score-lot' }, 'kind'],
    ['the model of the other kind', { ...board('x'), modelName: 'yield-predictor' }, 'modelName'],
    ['an unknown reason', { ...board('x'), reason: 'cron' }, 'reason'],
    ['a numeric model version', { ...board('x'), modelVersion: 1 }, 'modelVersion'],
    ['a value that is not an object', 'score-board', '(payload)'],
  ])('rejects %s with INVALID_JOB_PAYLOAD naming the field', (_case, value, field) => {
    const error = payloadError(value);
    expect(error.code).toBe('INVALID_JOB_PAYLOAD');
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });
});
