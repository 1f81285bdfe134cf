package dev.vitrail.encoders.qwen25vl;

import java.util.Arrays;
import java.util.List;

/**
 * Where each patch of a batch goes in the Qwen2.5-VL tower: the window permutation, the attention
 * segments and the rotary (row, column) of every patch. Pure integer arithmetic, equal to
 * HuggingFace's {@code get_window_index} and {@code rot_pos_emb}.
 *
 * <p>Patches arrive in processor order (per entry, per frame, per merge unit in row-major order,
 * then the unit's patches row-major). Windows are squares of {@code windowUnits x windowUnits}
 * merge units tiling each frame from the top-left, cut short at the bottom and right edges.
 *
 * @param mergeUnit patches per merge unit ({@code spatial_merge_size^2})
 * @param windowIndex merge-unit ids (processor order) listed in window order
 * @param cuWindowSeqlens window boundaries in patches, window order, starting at 0
 * @param cuSeqlens frame boundaries in patches, starting at 0
 * @param positions (row, column) of every patch inside its frame, processor order, flattened
 */
public record WindowLayout(
    int mergeUnit, int[] windowIndex, int[] cuWindowSeqlens, int[] cuSeqlens, int[] positions) {

  /**
   * Computes the layout of a batch.
   *
   * @param grids the entries in call order
   * @param mergeSize {@code spatial_merge_size}
   * @param windowUnits window side in merge units: {@code window_size / merge / patch_size}
   */
  public static WindowLayout compute(List<GridThw> grids, int mergeSize, int windowUnits) {
    if (mergeSize <= 0 || windowUnits <= 0) {
      throw new IllegalArgumentException(
          "merge size and window side must be positive, got " + mergeSize + ", " + windowUnits);
    }
    if (grids.isEmpty()) {
      throw new IllegalArgumentException("no grid_thw entries");
    }
    int unit = mergeSize * mergeSize;
    int patches = 0;
    int frames = 0;
    for (GridThw g : grids) {
      if (g.h() % mergeSize != 0 || g.w() % mergeSize != 0) {
        throw new IllegalArgumentException(
            "grid h and w must be multiples of spatial_merge_size " + mergeSize + ", got " + g);
      }
      patches = Math.addExact(patches, g.patches());
      frames += g.t();
    }
    int[] windowIndex = new int[patches / unit];
    int[] cuWindows = new int[patches / unit + 1];
    int[] cuFrames = new int[frames + 1];
    int[] positions = new int[2 * patches];
    int units = 0;
    int windows = 0;
    int frame = 0;
    int pos = 0;
    for (GridThw g : grids) {
      int uh = g.h() / mergeSize;
      int uw = g.w() / mergeSize;
      for (int f = 0; f < g.t(); f++) {
        int frameBase = units + f * uh * uw;
        for (int wr = 0; wr < uh; wr += windowUnits) {
          for (int wc = 0; wc < uw; wc += windowUnits) {
            int rows = Math.min(windowUnits, uh - wr);
            int cols = Math.min(windowUnits, uw - wc);
            for (int r = wr; r < wr + rows; r++) {
              for (int c = wc; c < wc + cols; c++) {
                windowIndex[pos++] = frameBase + r * uw + c;
              }
            }
            cuWindows[windows + 1] = cuWindows[windows] + rows * cols * unit;
            windows++;
          }
        }
        cuFrames[frame + 1] = cuFrames[frame] + g.frameArea();
        frame++;
        fillPositions(positions, 2 * frameBase * unit, uh, uw, mergeSize);
      }
      units += g.t() * uh * uw;
    }
    return new WindowLayout(
        unit, windowIndex, Arrays.copyOf(cuWindows, windows + 1), cuFrames, positions);
  }

  private static void fillPositions(int[] out, int offset, int uh, int uw, int merge) {
    int k = offset;
    for (int br = 0; br < uh; br++) {
      for (int bc = 0; bc < uw; bc++) {
        for (int dr = 0; dr < merge; dr++) {
          for (int dc = 0; dc < merge; dc++) {
            out[k++] = br * merge + dr;
            out[k++] = bc * merge + dc;
          }
        }
      }
    }
  }

  /** Number of patches in the batch. */
  public int patches() {
    return positions.length / 2;
  }

  /** Patch permutation into window order: {@code perm[u*k + j] = u*windowIndex[k] + j}. */
  public long[] patchPermutation() {
    long[] perm = new long[patches()];
    for (int k = 0; k < windowIndex.length; k++) {
      for (int j = 0; j < mergeUnit; j++) {
        perm[k * mergeUnit + j] = (long) windowIndex[k] * mergeUnit + j;
      }
    }
    return perm;
  }

  /** The inverse of {@link #windowIndex}: where each merge unit (processor order) sits. */
  public long[] unitInverse() {
    long[] inv = new long[windowIndex.length];
    for (int k = 0; k < windowIndex.length; k++) {
      inv[windowIndex[k]] = k;
    }
    return inv;
  }

  /** The inverse of {@link #patchPermutation}: window-order row of each processor-order patch. */
  public long[] patchInverse() {
    long[] perm = patchPermutation();
    long[] inv = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inv[(int) perm[i]] = i;
    }
    return inv;
  }

  @Override
  public int[] windowIndex() {
    return windowIndex.clone();
  }

  @Override
  public int[] cuWindowSeqlens() {
    return cuWindowSeqlens.clone();
  }

  @Override
  public int[] cuSeqlens() {
    return cuSeqlens.clone();
  }

  @Override
  public int[] positions() {
    return positions.clone();
  }
}
