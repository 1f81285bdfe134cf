package dev.vitrail.runtime.api;

import dev.vitrail.actors.aggregate.ItemResult;
import dev.vitrail.actors.aggregate.PaddedGather;
import dev.vitrail.encoders.api.FeatureOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to one {@link EncodeRequest}: one result per input, in input order. An input that
 * failed on every attempt carries {@link ItemResult.Failed}; the others are unaffected.
 *
 * @param id the request's id
 * @param items per-input results
 * @param gathered the padded gather layout if the request asked for it and every item succeeded
 */
public record EncodeResult(String id, List<ItemResult> items, PaddedGather gathered) {
  public EncodeResult {
    items = List.copyOf(items);
  }

  /** The features of every input, or an {@link EncodeFailedException} naming the failed ones. */
  public List<FeatureOutput> features() {
    List<FeatureOutput> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof ItemResult.Encoded e) {
        out.add(e.output());
      } else {
        errors.add("input " + i + ": " + ((ItemResult.Failed) items.get(i)).error());
      }
    }
    if (!errors.isEmpty()) {
      throw new EncodeFailedException("request " + id + " has failed inputs: " + errors);
    }
    return out;
  }
}
