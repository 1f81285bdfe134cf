package dev.vitrail.actors.aggregate;

import java.util.List;

/** The single answer to one encode request. */
public sealed interface RequestOutcome {
  /**
   * Every item answered, in the caller's order. Items that failed on every attempt carry an {@link
   * ItemResult.Failed}; the other items of the request are unaffected.
   *
   * @param items one result per input, in input order
   * @param gathered vLLM's padded all-gather layout when the request asked for it, else null
   */
  record Completed(List<ItemResult> items, PaddedGather gathered) implements RequestOutcome {
    public Completed {
      items = List.copyOf(items);
    }

    /** True when every item has features. */
    public boolean allEncoded() {
      return items.stream().allMatch(i -> i instanceof ItemResult.Encoded);
    }
  }

  /**
   * Nothing was run: the runtime is overloaded ({@code busy}; retry later), shutting down, or the
   * request was malformed.
   */
  record Rejected(String reason, boolean busy) implements RequestOutcome {}
}
