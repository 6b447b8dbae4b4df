import { EntitySubscriberInterface, EventSubscriber, TransactionStartEvent } from 'typeorm';

/**
 * Behind a transaction pooler (PgBouncer pool_mode=transaction) a session setting would land on
 * whichever server connection ran that statement and stay there for its next clients; PgBouncer
 * also refuses `statement_timeout` as a startup parameter. So the timeout is set for each
 * transaction instead, as its first statement (SET LOCAL ends with the transaction). Statements
 * outside a transaction are bounded by the client's query_timeout, and by a server-side default if
 * the operator sets one (README, PgBouncer).
 *
 * A class for the DataSource's `subscribers` option: TypeORM instantiates subscribers itself, and
 * only classes registered by @EventSubscriber.
 */
export function statementTimeoutPerTransaction(timeoutMs: number): new () => EntitySubscriberInterface {
  const statement = `SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`;

  @EventSubscriber()
  class StatementTimeoutPerTransaction implements EntitySubscriberInterface {
    async afterTransactionStart(event: TransactionStartEvent): Promise<void> {
      await event.queryRunner.query(statement);
    }
  }

  return StatementTimeoutPerTransaction;
}
