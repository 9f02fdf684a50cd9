import { ApiError, describeFailure, fillPath } from './api';
import { signInMessage } from './sign-in';

describe('what a seller reads when a call fails', () => {
  const problem = (status: number, extra: object = {}) => ({
    type: `https://shelfwatch.dev/problems/x`,
    title: 'Title',
    status,
    detail: 'detail',
    ...extra,
  });

  it('names the fields of a refused form', () => {
    const text = describeFailure(400, problem(400, { errors: [{ in: 'body', field: 'price', message: 'too small' }] }));
    expect(text).toBe('Please check the form: price: too small.');
  });

  it('gives the error reference of a server failure', () => {
    expect(describeFailure(500, problem(500, { errorId: 'e-1' }))).toContain('reference e-1');
  });

  it('explains a wrong key, an admin key and an unreachable server at sign-in', () => {
    expect(signInMessage(new ApiError(401, null, ''))).toContain('was not recognised');
    expect(signInMessage(new ApiError(403, null, ''))).toContain('tenant API key');
    expect(signInMessage(new ApiError(0, null, 'ShelfWatch could not be reached.'))).toBe(
      'ShelfWatch could not be reached.',
    );
  });

  it('reads the problem slug', () => {
    const error = new ApiError(
      409,
      { ...problem(409), type: 'https://shelfwatch.dev/problems/crawl-already-running' },
      '',
    );
    expect(error.slug).toBe('crawl-already-running');
  });
});

describe('the path of a typed call', () => {
  it("fills the document's template with each parameter, URI-encoded", () => {
    expect(fillPath('/v1/products/{id}/keywords/{keywordId}', { id: 'p-1', keywordId: 'k/2' })).toBe(
      '/v1/products/p-1/keywords/k%2F2',
    );
  });

  it('refuses a template whose parameter is missing instead of calling a wrong path', () => {
    expect(() => fillPath('/v1/marketplaces/{marketplace}/credentials', {})).toThrow(
      '/v1/marketplaces/{marketplace}/credentials needs the path parameter marketplace',
    );
  });
});
