import { ODataError } from './odata-error';

describe('ODataError', () => {
  it('carries its status and code and renders the OData JSON error body', () => {
    const error = ODataError.badRequest('UnknownProperty', "Could not find a property named 'Foo' on type 'WorkOrder'.", 'Foo');
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(400);
    expect(error.toBody()).toEqual({
      error: { code: 'UnknownProperty', message: "Could not find a property named 'Foo' on type 'WorkOrder'.", target: 'Foo' },
    });
  });

  it('leaves out the target when there is none', () => {
    expect(new ODataError(404, 'NotFound', 'No such entity.').toBody()).toEqual({ error: { code: 'NotFound', message: 'No such entity.' } });
  });
});
