const STORAGE_KEY = 'shelfwatch.apiKey';

/**
 * Where the tenant's API key lives while signed in: in memory, and in this tab's sessionStorage only when the
 * seller asks to stay signed in across reloads. Never in the URL, never in localStorage or a cookie.
 */
export class Session {
  private key: string | null = null;

  constructor(private readonly storage: Storage | null) {
    this.key = storage?.getItem(STORAGE_KEY) ?? null;
  }

  get current(): string | null {
    return this.key;
  }

  signIn(key: string, remember: boolean): void {
    this.key = key;
    if (remember) {
      this.storage?.setItem(STORAGE_KEY, key);
    } else {
      this.storage?.removeItem(STORAGE_KEY);
    }
  }

  signOut(): void {
    this.key = null;
    this.storage?.removeItem(STORAGE_KEY);
  }
}
