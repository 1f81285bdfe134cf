package dev.vitrail.actors.worker;

/**
 * What {@link CoreGate} has measured of its two widths: the wall time per patch of each (a moving
 * average over the calls leased at it), and when a lone call should try the width that measured
 * slower again: after {@value #EXPLORE_FIRST} lone calls, each losing try doubling the wait (at
 * most {@value #EXPLORE_MOST}), and soon again once the faster width changes. Not thread-safe: the
 * gate's lock guards it.
 */
final class WidthTimings {
  /** Weight of the newest call in the moving averages of time per patch. */
  private static final double NEWEST = 0.3;

  /** Lone calls between two tries of the slower width: first, and at most (doubling between). */
  private static final int EXPLORE_FIRST = 8;

  private static final int EXPLORE_MOST = 256;

  private double wideNsPerPatch = Double.NaN;
  private double narrowNsPerPatch = Double.NaN;
  private long aloneCalls;
  private long lastTry;
  private int exploreEvery = EXPLORE_FIRST;
  private boolean preferWide = true;

  /** Wall time per patch of wide calls so far, NaN before the first. */
  double wide() {
    return wideNsPerPatch;
  }

  /** Wall time per patch of single-thread calls so far, NaN before the first. */
  double narrow() {
    return narrowNsPerPatch;
  }

  /** Whether a call leased now ({@code alone}: its worker the only one holding items) is a try. */
  boolean explore(boolean alone) {
    return alone && aloneCalls + 1 - lastTry >= exploreEvery;
  }

  /** A call was leased, {@code alone} or not, as a try of the slower width or not. */
  void leased(boolean alone, boolean explore) {
    aloneCalls += alone ? 1 : 0;
    lastTry = explore ? aloneCalls : lastTry;
  }

  /**
   * Folds a finished call at {@code width} threads ({@code explore}: leased as a try) that took
   * {@code nsPerPatch} into its width's average, and adapts how often the other width is tried.
   */
  void measured(int width, boolean explore, double nsPerPatch) {
    // A width tried after a pause has a stale average: the new call replaces it.
    if (width > 1) {
      wideNsPerPatch =
          explore || Double.isNaN(wideNsPerPatch)
              ? nsPerPatch
              : NEWEST * nsPerPatch + (1 - NEWEST) * wideNsPerPatch;
    } else {
      narrowNsPerPatch =
          explore || Double.isNaN(narrowNsPerPatch)
              ? nsPerPatch
              : NEWEST * nsPerPatch + (1 - NEWEST) * narrowNsPerPatch;
    }
    boolean nowWide = !(narrowNsPerPatch < wideNsPerPatch);
    if (nowWide != preferWide) {
      preferWide = nowWide;
      exploreEvery = EXPLORE_FIRST; // the machine changed: look again soon
      lastTry = aloneCalls;
    } else if (explore) {
      exploreEvery = Math.min(EXPLORE_MOST, exploreEvery * 2); // the try lost: try less often
    }
  }
}
