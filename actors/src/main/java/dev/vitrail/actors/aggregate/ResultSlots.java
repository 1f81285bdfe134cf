package dev.vitrail.actors.aggregate;

import java.util.Arrays;
import java.util.List;

/** Fills one slot per item in any completion order and hands them back in input order. */
public final class ResultSlots {
  private final ItemResult[] slots;
  private int filled;

  /** Slots for {@code size} items. */
  public ResultSlots(int size) {
    this.slots = new ItemResult[size];
  }

  /**
   * Records item {@code index}'s result; a second result for the same index is ignored.
   *
   * @return true when this result was the first for its index
   */
  public boolean fill(int index, ItemResult result) {
    if (index < 0 || index >= slots.length) {
      throw new IllegalArgumentException(
          "item index " + index + " outside [0, " + slots.length + ")");
    }
    if (slots[index] != null) {
      return false;
    }
    slots[index] = result;
    filled++;
    return true;
  }

  /** Gives every empty slot {@code result}. */
  public void fillMissing(ItemResult result) {
    for (int i = 0; i < slots.length; i++) {
      fill(i, result);
    }
  }

  /** True once every slot has a result. */
  public boolean complete() {
    return filled == slots.length;
  }

  /** The results in input order; only when {@link #complete()}. */
  public List<ItemResult> inOrder() {
    if (!complete()) {
      throw new IllegalStateException(filled + " of " + slots.length + " results present");
    }
    return Arrays.asList(slots.clone());
  }
}
