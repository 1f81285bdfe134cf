package dev.vitrail.runtime.cli;

import dev.vitrail.encoders.api.FeatureSpec;
import java.util.List;
import picocli.CommandLine.Option;

/** Which features to write, as vLLM's {@code resolve_visual_encoder_outputs} takes them. */
final class FeatureOptions {
  @Option(
      names = "--select-layers",
      split = ",",
      paramLabel = "I",
      description =
          "Hidden-state indices to concatenate (negative from the end; 0 is the embeddings).")
  List<Integer> selectLayers = List.of();

  @Option(
      names = "--strategy",
      paramLabel = "S",
      description = "Feature select strategy: class, default or full.")
  String strategy;

  @Option(names = "--no-post-layernorm", description = "Skip the post-layernorm on the last layer.")
  boolean noPostLayerNorm;

  @Option(
      names = "--pooled",
      description = "Write the pooled output (CLIP class token, SigLIP head) instead.")
  boolean pooled;

  FeatureSpec spec() {
    if (strategy != null && !List.of("class", "default", "full").contains(strategy)) {
      throw new CliException("--strategy must be class, default or full, got '" + strategy + "'");
    }
    return new FeatureSpec(selectLayers, strategy, !noPostLayerNorm, pooled);
  }
}
