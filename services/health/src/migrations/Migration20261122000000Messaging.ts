import { Migration } from '@mikro-orm/migrations';
import { messagingTablesSql } from '@shelfwatch/messaging';

/** The health's outbox and inbox. */
export class Migration20261122000000Messaging extends Migration {
  override up(): void {
    for (const statement of messagingTablesSql('health')) {
      this.addSql(statement);
    }
  }
}
