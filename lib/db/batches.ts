import "server-only";

/** What `cursorBatches` adds to a findMany: the batch size, and past the first batch the cursor after the last row. */
export type BatchArgs = { take: number; cursor?: { id: string }; skip?: number };

/**
 * Reads a query batch by batch with a cursor on `id` (its order must end with id, so it is total), holding one batch
 * in memory at a time: exports of any length.
 */
export async function* cursorBatches<T extends { id: string }>(
  read: (args: BatchArgs) => Promise<T[]>,
  batchSize: number,
): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  while (true) {
    const rows = await read({ take: batchSize, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    cursor = rows.at(-1)?.id;
  }
}
