/** Resolves on a later turn of the event loop, after the I/O callbacks that are due (setImmediate). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `action` on every item, at most `perTurn` of them per turn of the event loop, in order. Between turns
 * the loop reads sockets and runs timers, so a long list of cheap actions (each a system call, say) does not
 * hold everything else back for the whole list.
 */
export async function inTurns<T>(
  items: readonly T[],
  perTurn: number,
  action: (item: T) => void,
): Promise<void> {
  for (let start = 0; start < items.length; start += perTurn) {
    if (start > 0) await nextTurn();
    const end = Math.min(items.length, start + perTurn);
    for (let index = start; index < end; index += 1) action(items[index]!);
  }
}
