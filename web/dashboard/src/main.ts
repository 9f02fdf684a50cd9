import { h, replace } from './dom';
import { Session } from './session';
import { renderSignIn } from './sign-in';

// The entry holds only what the sign-in form needs; the signed-in app (pages, forms) is a chunk of its own,
// fetched while the seller types the key, so the form is usable after the smallest download.
const loadApp = (): Promise<typeof import('./app')> => import('./app');

function launch(root: HTMLElement, session: Session, key: string): void {
  loadApp()
    .then((app) => app.startApp(root, session, key))
    .catch(() =>
      replace(
        root,
        h(
          'p',
          { class: 'error', role: 'alert' },
          'The dashboard could not be loaded. Check your connection, then reload the page.',
        ),
      ),
    );
}

function boot(): void {
  const root = document.getElementById('app');
  if (!root) {
    return;
  }
  const session = new Session(window.sessionStorage);
  const key = session.current;
  if (key === null) {
    renderSignIn(root, (next, remember) => (session.signIn(next, remember), launch(root, session, next)));
    // Start fetching the app now; a failure shows when the seller signs in.
    loadApp().catch(() => undefined);
  } else {
    launch(root, session, key);
  }
}

boot();
