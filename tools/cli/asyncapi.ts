import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildAsyncApi } from '@shelfwatch/contracts';
import { runCli } from './cli-main';

/** Where the AsyncAPI document is committed; a test fails when it differs from what the registry generates. */
export const ASYNCAPI_PATH = 'docs/asyncapi.json';

/** The committed text of the document for the version in package.json. */
export function asyncApiText(): string {
  const { version } = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string };
  return `${JSON.stringify(buildAsyncApi(version), null, 2)}\n`;
}

if (require.main === module) {
  runCli('asyncapi', () => {
    writeFileSync(resolve(ASYNCAPI_PATH), asyncApiText());
    console.log(`wrote ${ASYNCAPI_PATH}`);
    return Promise.resolve();
  });
}
