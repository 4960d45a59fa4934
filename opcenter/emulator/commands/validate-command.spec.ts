import { findCommand } from '../../model/commands';
import { validateCommandBody } from './validate-command';

const create = findCommand('Quality', 'CreateNonConformance')!;

describe('validateCommandBody', () => {
  it('returns the parameters of a well-formed command', () => {
    const params = validateCommandBody(create, {
      command: { Title: 't', Description: 'd', Severity: 'Major', Confidence: 0.9 },
    });
    expect(params).toEqual({ Title: 't', Description: 'd', Severity: 'Major', Confidence: 0.9 });
  });

  it.each([
    [{}, /must be \{"command"/],
    [{ command: [] }, /must be \{"command"/],
    [{ command: { Title: 't', Description: 'd' } }, /needs the parameter 'Severity'/],
    [{ command: { Title: 't', Description: 'd', Severity: 'Major', Colour: 'red' } }, /no parameter 'Colour'/],
    [{ command: { Title: 't', Description: 'd', Severity: 'Huge' } }, /must be one of Minor, Major, Critical/],
    [{ command: { Title: 't', Description: 'd', Severity: 'Major', Confidence: '0.9' } }, /must be Edm.Double/],
    [{ command: { Title: ' ', Description: 'd', Severity: 'Major' } }, /must not be empty/],
  ])('rejects %j with a 400 that names the problem', (body, message) => {
    let thrown: unknown;
    try {
      validateCommandBody(create, body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ status: 400 });
    expect((thrown as Error).message).toMatch(message);
  });
});
