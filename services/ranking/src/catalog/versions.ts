/** A keyword's state as its next event announces it (counted by `CatalogStore.nextKeywordVersions`). */
export interface KeywordVersion {
  version: number;
  intervalMinutes: number;
  paused: boolean;
}

/** The entry `CatalogStore.nextKeywordVersions` answered for `id` (an error when it did not update that row). */
export function versionOf(versions: ReadonlyMap<string, KeywordVersion>, id: string): KeywordVersion {
  const version = versions.get(id);
  if (version === undefined) {
    throw new Error(`no version counted for keyword ${id}`);
  }
  return version;
}
