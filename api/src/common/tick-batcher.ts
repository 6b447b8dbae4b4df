import DataLoader from 'dataloader';

/** Keys per query at most: bounds the size of one `= ANY($1)` list or one Redis command. */
const MAX_BATCH = 500;

/**
 * Concurrent reads of single keys as one read of many, with DataLoader: the keys asked for during one
 * turn of the event loop (every handshake whose packet arrived in it, every REST request) go out
 * together once that turn's I/O has been handled (`setImmediate`). Nothing is cached: every call
 * reads the store after it was made, so a revocation, a suspension or a deletion committed before a
 * check is seen by it, exactly as with one query per call.
 */
export function tickBatcher<K, V>(
  loadMany: (keys: readonly K[]) => Promise<ArrayLike<V | Error>>,
): DataLoader<K, V> {
  return new DataLoader<K, V>(loadMany, {
    cache: false,
    maxBatchSize: MAX_BATCH,
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
  });
}
