import { Migration } from '@mikro-orm/migrations';
import { messagingTablesSql } from '@shelfwatch/messaging';

/** The alerting's outbox and inbox. */
export class Migration20261122000000Messaging extends Migration {
  override up(): void {
    for (const statement of messagingTablesSql('alerting')) {
      this.addSql(statement);
    }
  }
}
