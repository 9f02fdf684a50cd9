#!/usr/bin/env node
// Postinstall patch for kysely 0.29 (used by MikroORM 7): when BEGIN fails (a pooled connection that died
// with Postgres, a network blip), ControlledTransactionBuilder.execute() never releases the connection it
// acquired. Every such failure leaks one pool slot until the pool is exhausted and every later transaction
// (outbox relay, consumers) waits forever. This releases the connection and rethrows. Idempotent; fails
// the install if kysely changed shape so that the patch is looked at again.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const MARKER = '/* shelfwatch: release on failed begin */';
const ORIGINAL =
  '        const connection = await provideControlledConnection(this.#props.executor);\n' +
  '        await this.#props.driver.beginTransaction(connection.connection, settings);\n';
const PATCHED =
  '        const connection = await provideControlledConnection(this.#props.executor);\n' +
  `        ${MARKER}\n` +
  '        try {\n' +
  '            await this.#props.driver.beginTransaction(connection.connection, settings);\n' +
  '        }\n' +
  '        catch (error) {\n' +
  '            connection.release();\n' +
  '            throw error;\n' +
  '        }\n';

function kyselyFiles() {
  const root = join(__dirname, '..', '..', 'node_modules', 'kysely');
  return [join(root, 'dist', 'kysely.js'), join(root, 'dist', 'cjs', 'kysely.js')];
}

let patched = 0;
for (const file of kyselyFiles()) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue;
  }
  if (text.includes(MARKER)) {
    patched += 1;
    continue;
  }
  if (!text.includes(ORIGINAL)) {
    console.error(
      `kysely patch: expected code not found in ${file}; review tools/patches/kysely-release-on-failed-begin.js`,
    );
    process.exit(1);
  }
  writeFileSync(file, text.replace(ORIGINAL, PATCHED));
  patched += 1;
}
if (patched === 0) {
  console.error('kysely patch: kysely not found');
  process.exit(1);
}
