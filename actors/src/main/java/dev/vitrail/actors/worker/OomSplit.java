package dev.vitrail.actors.worker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Runs a batch and, when the call runs out of device memory, releases the cached memory and runs
 * the two halves instead, recursively; an item that still runs out of memory alone fails alone,
 * with a clear error, while the others get their results. Any other error propagates (the tower is
 * broken, not the batch too large). Pure: the call, the out-of-memory test and the release are
 * passed in, so the logic is tested with a fake tower.
 *
 * @param <I> an input
 * @param <O> its output
 */
final class OomSplit<I, O> {
  /**
   * Per-item results: {@code outputs[i]} or, for an item that failed alone, {@code errors[i]}.
   *
   * @param outputs the output per item (null where failed)
   * @param errors the error per item (null where encoded)
   * @param splits how many times a batch was halved after running out of memory
   */
  record Result<O>(List<O> outputs, List<String> errors, int splits) {}

  private final Function<List<I>, List<O>> call;
  private final Predicate<Throwable> outOfMemory;
  private final Runnable release;
  private final ToLongFunction<I> patches;

  /**
   * @param call runs one batch (one output per input, in order)
   * @param outOfMemory whether an error is a device out-of-memory error
   * @param release gives cached device memory back before a retry
   * @param patches an input's size, for the error message
   */
  OomSplit(
      Function<List<I>, List<O>> call,
      Predicate<Throwable> outOfMemory,
      Runnable release,
      ToLongFunction<I> patches) {
    this.call = call;
    this.outOfMemory = outOfMemory;
    this.release = release;
    this.patches = patches;
  }

  /** Runs {@code items}; a non-memory error of any call propagates. */
  Result<O> run(List<I> items) {
    List<O> outputs = new ArrayList<>(Arrays.asList(newArray(items.size())));
    List<String> errors = new ArrayList<>(Arrays.asList(new String[items.size()]));
    int[] splits = {0};
    run(items, 0, outputs, errors, splits);
    return new Result<>(outputs, errors, splits[0]);
  }

  private void run(List<I> items, int offset, List<O> outputs, List<String> errors, int[] splits) {
    List<O> out;
    try {
      out = call.apply(items);
    } catch (RuntimeException e) {
      if (!outOfMemory.test(e)) {
        throw e;
      }
      release.run();
      if (items.size() == 1) {
        errors.set(
            offset,
            "out of device memory encoding this item alone ("
                + patches.applyAsLong(items.get(0))
                + " patches): "
                + firstLine(e));
        return;
      }
      splits[0]++;
      int half = items.size() / 2;
      run(items.subList(0, half), offset, outputs, errors, splits);
      run(items.subList(half, items.size()), offset + half, outputs, errors, splits);
      return;
    }
    if (out.size() != items.size()) {
      throw new IllegalStateException(
          "tower returned " + out.size() + " outputs for a batch of " + items.size());
    }
    for (int i = 0; i < out.size(); i++) {
      outputs.set(offset + i, out.get(i));
    }
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  @SuppressWarnings("unchecked")
  private static <O> O[] newArray(int n) {
    return (O[]) new Object[n];
  }
}
