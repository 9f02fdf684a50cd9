/** `#/keyword/<id>?product=…` → the page, its id and its parameters. */
export function parseHash(hash: string): { page: string; id: string; params: URLSearchParams } {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page = 'products', id = ''] = path.split('/');
  const params = new URLSearchParams(query);
  if (id !== '') {
    params.set('id', decodeURIComponent(id));
  }
  return { page: page === '' ? 'products' : page, id, params };
}
