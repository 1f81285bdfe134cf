package dev.vitrail.encoders.preprocess;

/**
 * Which decoded video frames to keep: all, every Nth, or at a target rate. Immutable; {@link
 * #start()} gives the per-stream state that sees frames in decode order.
 *
 * @param everyNth keep frames 0, N, 2N, ... ({@code 1} keeps all); used when {@code targetFps} is 0
 * @param targetFps keep at most this many frames per second of stream time (0: not rate-based)
 */
public record FrameSampler(int everyNth, double targetFps) {
  public FrameSampler {
    if (everyNth < 1) {
      throw new IllegalArgumentException("everyNth must be >= 1, got " + everyNth);
    }
    if (!(targetFps >= 0) || Double.isInfinite(targetFps)) {
      throw new IllegalArgumentException("targetFps must be finite and >= 0, got " + targetFps);
    }
  }

  /** Keeps every frame. */
  public static FrameSampler all() {
    return new FrameSampler(1, 0);
  }

  /** Keeps frames 0, n, 2n, ... */
  public static FrameSampler everyNth(int n) {
    return new FrameSampler(n, 0);
  }

  /**
   * Keeps the first frame, then the first frame at or after each multiple of {@code 1/fps} seconds
   * after it; a stream slower than {@code fps} keeps all its frames.
   */
  public static FrameSampler atFps(double fps) {
    if (!(fps > 0)) {
      throw new IllegalArgumentException("target fps must be > 0, got " + fps);
    }
    return new FrameSampler(1, fps);
  }

  /** Fresh selection state for one stream. */
  public Selection start() {
    return new Selection(this);
  }

  /** The indices kept from frames with these timestamps (microseconds, decode order). */
  public int[] select(long[] timestampsMicros) {
    Selection s = start();
    return java.util.stream.IntStream.range(0, timestampsMicros.length)
        .filter(i -> s.keep(timestampsMicros[i]))
        .toArray();
  }

  /** The mutable selection state of one stream; not thread-safe. */
  public static final class Selection {
    private final FrameSampler sampler;
    private final double periodMicros;
    private long seen;
    private double dueMicros = Double.NEGATIVE_INFINITY;

    private Selection(FrameSampler sampler) {
      this.sampler = sampler;
      this.periodMicros = sampler.targetFps > 0 ? 1e6 / sampler.targetFps : 0;
    }

    /** Whether the next frame in decode order, with this timestamp, is kept. */
    public boolean keep(long timestampMicros) {
      long index = seen++;
      if (periodMicros == 0) {
        return index % sampler.everyNth == 0;
      }
      if (timestampMicros < dueMicros) {
        return false;
      }
      if (dueMicros == Double.NEGATIVE_INFINITY) {
        dueMicros = timestampMicros;
      }
      while (dueMicros <= timestampMicros) {
        dueMicros += periodMicros;
      }
      return true;
    }
  }
}
