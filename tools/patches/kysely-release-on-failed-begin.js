#!/usr/bin/env node
// Postinstall patch for kysely 0.29 (used by MikroORM 7): when BEGIN fails (a pooled connection that died
// with Postgres, a network blip), ControlledTransactionBuilder.execute() never releases the connection it
// acquired; and when ROLLBACK fails (the connection died mid-transaction: Postgres crashed or restarted),
// ControlledTransaction.rollback() never releases it either. MikroORM rolls back after a failed statement
// or COMMIT and swallows the rollback's error, so every such failure leaks one pool slot until the pool is
// exhausted and every later transaction (outbox relay, consumers, crawl workers) waits forever. The fault
// suite found the second one: a crawler whose pool was empty 17 minutes after a Postgres crash. This
// releases the connection in both cases (pg-pool discards a dead client) and rethrows. Idempotent; fails
// the install if kysely changed shape so that the patch is looked at again.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const MARKER = '/* shelfwatch: release on failed begin */';
const ROLLBACK_MARKER = '/* shelfwatch: release on failed rollback */';
const ROLLBACK_ORIGINAL =
  '            await this.#props.driver.rollbackTransaction(this.#props.connection.connection);\n' +
  '            this.#state.isRolledBack = true;\n' +
  '            this.#props.connection.release();\n';
const ROLLBACK_PATCHED =
  `            ${ROLLBACK_MARKER}\n` +
  '            try {\n' +
  '                await this.#props.driver.rollbackTransaction(this.#props.connection.connection);\n' +
  '            }\n' +
  '            finally {\n' +
  '                this.#state.isRolledBack = true;\n' +
  '                this.#props.connection.release();\n' +
  '            }\n';
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
  for (const [marker, original, replacement] of [
    [MARKER, ORIGINAL, PATCHED],
    [ROLLBACK_MARKER, ROLLBACK_ORIGINAL, ROLLBACK_PATCHED],
  ]) {
    if (text.includes(marker)) {
      continue;
    }
    if (!text.includes(original)) {
      console.error(
        `kysely patch: expected code not found in ${file}; review tools/patches/kysely-release-on-failed-begin.js`,
      );
      process.exit(1);
    }
    text = text.replace(original, replacement);
  }
  writeFileSync(file, text);
  patched += 1;
}
if (patched === 0) {
  console.error('kysely patch: kysely not found');
  process.exit(1);
}
