package dev.vitrail.encoders.weights;

import dev.vitrail.encoders.weights.SafetensorsHeader.Entry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of a safetensors header laid out over the data section: sorted by offset, they must
 * tile it from 0 without holes or overlaps, as the reference implementation checks.
 *
 * @param byName the entries by name, in data-offset order; unmodifiable
 * @param dataLength the data bytes they cover (the largest {@code end})
 */
record SafetensorsTiling(Map<String, Entry> byName, long dataLength) {
  /** Sorts {@code entries} by offset and checks that they tile the data section. */
  static SafetensorsTiling of(List<Entry> entries) {
    List<Entry> list = new ArrayList<>(entries);
    list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long next = 0;
    Map<String, Entry> byName = new LinkedHashMap<>();
    for (Entry e : list) {
      if (e.begin() != next) {
        throw new SafetensorsException(
            "safetensors tensor '"
                + e.name()
                + "' starts at data offset "
                + e.begin()
                + ", expected "
                + next
                + " (entries must tile the data section without holes or"
                + " overlaps)");
      }
      next = e.end();
      byName.put(e.name(), e);
    }
    return new SafetensorsTiling(Collections.unmodifiableMap(byName), next);
  }
}
