package dev.vitrail.actors.aggregate;

/**
 * vLLM's {@code run_dp_sharded_vision_model} layout: the batch is zero-padded to a multiple of the
 * worker count and cut into equal contiguous chunks, one per rank.
 *
 * @param chunks real batch entries
 * @param workers ranks
 */
public record ChunkLayout(int chunks, int workers) {
  public ChunkLayout {
    if (chunks < 0 || workers < 1) {
      throw new IllegalArgumentException(
          "need chunks >= 0 and workers >= 1, got " + chunks + " and " + workers);
    }
  }

  /** Entries each rank runs, {@code ceil(chunks / workers)}. */
  public int chunksPerRank() {
    return (chunks + workers - 1) / workers;
  }

  /** Zero entries appended so every rank has the same count. */
  public int paddedChunks() {
    return chunksPerRank() * workers - chunks;
  }

  /** Half-open range of the padded batch run by {@code rank}. */
  public int[] rankRange(int rank) {
    return new int[] {rank * chunksPerRank(), (rank + 1) * chunksPerRank()};
  }

  /** How many entries of {@code rank}'s range are real (not padding). */
  public int realChunks(int rank) {
    int[] r = rankRange(rank);
    return Math.max(0, Math.min(r[1], chunks) - r[0]);
  }
}
