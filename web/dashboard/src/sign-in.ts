import { Api, ApiError } from './api';
import { h, replace } from './dom';

/** Why a key was refused, in words a seller can act on. */
export function signInMessage(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return 'Signing in failed unexpectedly. Reload the page and try again.';
  }
  switch (error.status) {
    case 401:
      return 'That API key was not recognised: it is unknown or has been revoked. Check that you pasted the whole key.';
    case 403:
      return "That key cannot open a seller's shelf (the operator's admin key, perhaps). Sign in with your tenant API key.";
    default:
      return error.message;
  }
}

/** The sign-in form. Calls `done` with a key the API accepted for a tenant's data. */
export function renderSignIn(root: HTMLElement, done: (key: string, remember: boolean) => void, notice = ''): void {
  const input = h('input', {
    id: 'api-key',
    name: 'apiKey',
    type: 'password',
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'api-key-hint',
  });
  const remember = h('input', { id: 'remember', name: 'remember', type: 'checkbox' });
  const error = h('p', { class: 'error', role: 'alert', id: 'sign-in-error' }, notice);
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'sign-in card', novalidate: true },
    h('h1', {}, 'Sign in to ShelfWatch'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'api-key' }, 'API key'),
      input,
      h(
        'small',
        { id: 'api-key-hint', class: 'hint' },
        'The tenant API key you were given when your account was created.',
      ),
    ),
    h('div', { class: 'check' }, remember, h('label', { for: 'remember' }, 'Stay signed in in this browser tab')),
    error,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (key === '') {
      error.textContent = 'Enter your API key.';
      input.focus();
      return;
    }
    submit.disabled = true;
    error.textContent = '';
    new Api(key)
      .get('/v1/products', { query: { limit: 1 } })
      .then(() => done(key, remember.checked))
      .catch((failure: unknown) => {
        error.textContent = signInMessage(failure);
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      })
      .finally(() => (submit.disabled = false));
  });
  replace(root, h('main', { id: 'main', class: 'sign-in-page' }, form));
  input.focus();
}
