import { Migration } from '@mikro-orm/migrations';
import { outboxSetAsideSql } from '@shelfwatch/messaging';

/** The gateway's outbox keeps rows the broker can never accept aside, with their reason, instead of retrying them. */
export class Migration20261206200000OutboxSetAside extends Migration {
  override up(): void {
    for (const statement of outboxSetAsideSql('gateway')) {
      this.addSql(statement);
    }
  }
}
