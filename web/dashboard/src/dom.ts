/** What `h` accepts as a child: nodes and text (never HTML), with empty values skipped. */
export type Child = Node | string | number | null | undefined | false;

type Listener = (event: Event) => void;
type AttrValue = string | number | boolean | null | undefined | Listener;

/**
 * Creates an element. `onclick`-style keys add listeners; `true` sets an empty attribute; `false`, `null` and
 * `undefined` set nothing. Text always goes through text nodes, so data from the API is never parsed as HTML.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, AttrValue> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else if (value !== false && value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

/** Appends children (flattened, empty values skipped). */
export function append(parent: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}

/** Replaces every child of `parent`. */
export function replace(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let idCounter = 0;

/** A document-unique id for label/aria wiring. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled form control: `<label for>` + control, wrapped in a field div. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLDivElement {
  const id = control.id || uid('f');
  control.id = id;
  const hintEl = hint === undefined ? null : h('small', { id: `${id}-hint`, class: 'hint' }, hint);
  if (hintEl) {
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

/** The value of a named control of a form, as text ('' when absent). */
export function formText(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A number from a form control; null when the control is empty. Throws, naming the field, on anything else. */
export function formNumber(form: HTMLFormElement, name: string): number | null {
  const text = formText(form, name);
  if (text === '') {
    return null;
  }
  const value = Number(text.replace(/,/g, ''));
  if (!Number.isFinite(value)) {
    const control = form.elements.namedItem(name);
    const id = control instanceof HTMLElement ? control.id : '';
    const label = id === '' ? null : form.querySelector(`label[for="${id}"]`);
    throw new Error(`“${label?.textContent ?? name}” must be a number.`);
  }
  return value;
}
