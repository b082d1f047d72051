const TRANSACTION_CONTROL =
  /^(BEGIN|START TRANSACTION|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|SET TRANSACTION|SET LOCAL TRANSACTION)\b/i;

/**
 * True for statements that only delimit a transaction (BEGIN, COMMIT, ROLLBACK [TO SAVEPOINT], SAVEPOINT,
 * RELEASE SAVEPOINT, SET TRANSACTION). They carry no data, and counting them makes a budget depend on
 * whether the code happened to run inside a transaction.
 */
export function isTransactionControl(sql: string): boolean {
  return TRANSACTION_CONTROL.test(sql.trimStart());
}
