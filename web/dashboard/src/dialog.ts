import { ApiError } from './api';
import { Child, h } from './dom';

/** What a form dialog is made of. */
export interface FormDialogOptions {
  title: string;
  body: Child[];
  submitLabel: string;
  /** Runs on submit; the dialog closes when it resolves and shows the error when it rejects. */
  onSubmit(form: HTMLFormElement): Promise<void>;
  danger?: boolean;
}

/**
 * A modal `<dialog>` holding a form: the browser traps focus, Escape cancels and focus returns to the button
 * that opened it. Errors from the API are shown inside it, in words, and the form stays filled.
 */
export function openFormDialog(options: FormDialogOptions): HTMLDialogElement {
  const titleId = `dialog-title-${Date.now()}`;
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: options.danger ? 'danger' : 'primary' }, options.submitLabel);
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = h(
    'form',
    { novalidate: true },
    h('h2', { id: titleId }, options.title),
    ...options.body,
    error,
    h('div', { class: 'actions' }, submit, cancel),
  );
  const dialog = h('dialog', { 'aria-labelledby': titleId }, form);
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    options
      .onSubmit(form)
      .then(() => dialog.close())
      .catch((failure: unknown) => {
        error.textContent = failure instanceof Error ? failure.message : 'The change could not be saved.';
      })
      .finally(() => (submit.disabled = false));
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/** A yes/no question before something that cannot be undone. */
export function confirmDialog(title: string, message: string, action: string, run: () => Promise<void>): void {
  openFormDialog({ title, body: [h('p', {}, message)], submitLabel: action, danger: true, onSubmit: run });
}

/** An error message for an inline region: the API's words, or a generic sentence. */
export function errorText(error: unknown): string {
  return error instanceof ApiError || error instanceof Error ? error.message : 'Something went wrong.';
}
