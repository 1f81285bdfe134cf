package dev.vitrail.encoders.sharding;

import java.util.Arrays;

/**
 * Which images each rank runs: the three outputs of vLLM's {@code get_load_balance_assignment}.
 * Immutable: the arrays are copied in and out, and equality is by content.
 *
 * @param shuffleIndices image indices grouped by rank (rank 0 first), each group in run order
 * @param sampleCounts images per rank
 * @param loads total size (patches) per rank
 */
public record ShardAssignment(int[] shuffleIndices, int[] sampleCounts, long[] loads) {

  public ShardAssignment {
    shuffleIndices = shuffleIndices.clone();
    sampleCounts = sampleCounts.clone();
    loads = loads.clone();
    if (sampleCounts.length != loads.length) {
      throw new IllegalArgumentException(
          "sample counts and loads must have one entry per rank, got "
              + sampleCounts.length
              + " and "
              + loads.length);
    }
  }

  @Override
  public int[] shuffleIndices() {
    return shuffleIndices.clone();
  }

  @Override
  public int[] sampleCounts() {
    return sampleCounts.clone();
  }

  @Override
  public long[] loads() {
    return loads.clone();
  }

  /** Number of ranks. */
  public int ranks() {
    return sampleCounts.length;
  }

  /** The images rank {@code r} runs, in order. */
  public int[] imagesOf(int r) {
    int start = 0;
    for (int i = 0; i < r; i++) {
      start += sampleCounts[i];
    }
    return Arrays.copyOfRange(shuffleIndices, start, start + sampleCounts[r]);
  }

  /** The rank each image goes to, indexed by image. */
  public int[] rankOfImage() {
    int[] owner = new int[shuffleIndices.length];
    int pos = 0;
    for (int r = 0; r < sampleCounts.length; r++) {
      for (int k = 0; k < sampleCounts[r]; k++) {
        owner[shuffleIndices[pos++]] = r;
      }
    }
    return owner;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardAssignment a
        && Arrays.equals(shuffleIndices, a.shuffleIndices)
        && Arrays.equals(sampleCounts, a.sampleCounts)
        && Arrays.equals(loads, a.loads);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(shuffleIndices) + Arrays.hashCode(sampleCounts))
        + Arrays.hashCode(loads);
  }

  @Override
  public String toString() {
    return "ShardAssignment[shuffleIndices="
        + Arrays.toString(shuffleIndices)
        + ", sampleCounts="
        + Arrays.toString(sampleCounts)
        + ", loads="
        + Arrays.toString(loads)
        + "]";
  }

  /**
   * Checks the assignment against the sizes it was made for: one entry per rank, every image
   * exactly once, and each rank's load equal to the sum of its images' sizes.
   */
  public void requireConsistent(long[] sizes, int worldSize) {
    if (ranks() != worldSize) {
      throw new IllegalArgumentException(
          "assignment has " + ranks() + " ranks, world size is " + worldSize);
    }
    boolean[] seen = new boolean[sizes.length];
    int total = 0;
    for (int r = 0; r < worldSize; r++) {
      if (sampleCounts[r] < 0) {
        throw new IllegalArgumentException("rank " + r + " has a negative image count");
      }
      total += sampleCounts[r];
    }
    if (total != shuffleIndices.length || total != sizes.length) {
      throw new IllegalArgumentException(
          "assignment covers "
              + shuffleIndices.length
              + " slots with counts summing to "
              + total
              + ", expected "
              + sizes.length
              + " images");
    }
    for (int r = 0; r < worldSize; r++) {
      long load = 0;
      for (int i : imagesOf(r)) {
        if (i < 0 || i >= sizes.length || seen[i]) {
          throw new IllegalArgumentException(
              "image index " + i + " is out of range or assigned twice (rank " + r + ")");
        }
        seen[i] = true;
        load += sizes[i];
      }
      if (load != loads[r]) {
        throw new IllegalArgumentException(
            "rank " + r + " load is " + loads[r] + " but its images sum to " + load);
      }
    }
  }
}
