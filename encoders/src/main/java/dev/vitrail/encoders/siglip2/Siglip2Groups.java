package dev.vitrail.encoders.siglip2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The images of one {@link Siglip2VisionTower#forward} call grouped by patch count: each group runs
 * as one batch, so no padding row is ever computed. Pure: no tensors.
 *
 * @param tokens the patch count of each image
 * @param groups the image indices of each patch count, in order of first appearance
 */
record Siglip2Groups(int[] tokens, Collection<List<Integer>> groups) {
  /**
   * Groups {@code images}, each image's rows checked against its {@code (h, w)} in {@code shapes}.
   */
  static Siglip2Groups of(List<float[]> images, List<int[]> shapes, int rowWidth) {
    int n = images.size();
    int[] tokens = new int[n];
    Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      tokens[i] = checkedPatches(i, images.get(i), shapes.get(i), rowWidth);
      groups.computeIfAbsent(tokens[i], k -> new ArrayList<>()).add(i);
    }
    return new Siglip2Groups(tokens, groups.values());
  }

  /** The patch count of image {@code i}, its rows checked against its {@code (h, w)}. */
  private static int checkedPatches(int i, float[] rows, int[] s, int width) {
    if (s.length != 2 || s[0] <= 0 || s[1] <= 0 || rows.length != s[0] * s[1] * width) {
      throw new IllegalArgumentException(
          "image " + i + " must be " + Arrays.toString(s) + " patches of " + width + " values");
    }
    return s[0] * s[1];
  }
}
