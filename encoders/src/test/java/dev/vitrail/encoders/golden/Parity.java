package dev.vitrail.encoders.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Max-abs and cosine checks at the F32 tolerance. */
public final class Parity {
  public static final double MAX_ABS = 1e-4;
  public static final double MIN_COSINE = 0.99999;

  private Parity() {}

  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  public static void assertClose(String name, float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, name + ": element count");
    double maxAbs = 0;
    double dot = 0;
    double ne = 0;
    double na = 0;
    for (int i = 0; i < expected.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs((double) expected[i] - actual[i]));
      dot += (double) expected[i] * actual[i];
      ne += (double) expected[i] * expected[i];
      na += (double) actual[i] * actual[i];
    }
    double cosine = dot / Math.sqrt(ne * na);
    System.out.println("PARITY " + name + " " + maxAbs + " " + cosine);
    assertTrue(maxAbs <= MAX_ABS, name + ": max-abs " + maxAbs + " > " + MAX_ABS);
    assertTrue(cosine >= MIN_COSINE, name + ": cosine " + cosine + " < " + MIN_COSINE);
  }
}
