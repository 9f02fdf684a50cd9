import { Migration } from '@mikro-orm/migrations';
import { outboxSetAsideSql } from '@shelfwatch/messaging';

/** The alerting's outbox keeps rows the broker can never accept aside, with their reason, instead of retrying them. */
export class Migration20261206200000OutboxSetAside extends Migration {
  override up(): void {
    for (const statement of outboxSetAsideSql('alerting')) {
      this.addSql(statement);
    }
  }
}
