import { setTimeout as sleep } from "node:timers/promises";

/**
 * Buffers as a stream leaves them: `total` bytes in pieces of `pieceSize`, old — they outlived
 * young-generation collections (short-lived objects fill the young generation so each scavenge moves
 * them on, then out of it), as chunks do while a socket writes them — then dropped, so only a full
 * collection frees them.
 */
export async function deadOldBuffers(total: number, pieceSize: number): Promise<void> {
  const pieces: Buffer[] = [];
  for (let n = 0; n < total; n += pieceSize) pieces.push(Buffer.alloc(pieceSize, 1));
  for (let round = 0; round < 6; round++) {
    let churn: object[] = [];
    for (let i = 0; i < 400_000; i++) churn.push({ i });
    churn = [];
    await sleep(0);
  }
  pieces.length = 0;
}
