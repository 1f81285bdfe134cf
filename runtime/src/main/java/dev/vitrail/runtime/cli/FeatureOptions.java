package dev.vitrail.runtime.cli;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.encoders.api.FeatureSpec;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Which features to write, as vLLM's {@code resolve_visual_encoder_outputs} takes them. */
final class FeatureOptions {
  @Option(
      names = "--select-layers",
      split = ",",
      paramLabel = "I",
      description =
          "Hidden-state indices to concatenate (negative from the end; 0 is the embeddings;"
              + " default: the last layer).")
  List<Integer> selectLayers = List.of();

  @Option(
      names = "--strategy",
      paramLabel = "S",
      description = "Feature select strategy: class, default or full (default: the family's).")
  String strategy;

  @Option(names = "--no-post-layernorm", description = "Skip the post-layernorm on the last layer.")
  boolean noPostLayerNorm;

  @Option(
      names = "--pooled",
      description = "Write the pooled output (CLIP class token, SigLIP head) instead.")
  boolean pooled;

  /**
   * The feature spec, checked against the model's {@code config.json} before any worker starts (the
   * HTTP server's rule: hidden-state indices in {@code [-(layers + 1), layers]}), so a bad option
   * is one line and exit status 2.
   */
  FeatureSpec spec(Path modelDir) {
    if (strategy != null && !List.of("class", "default", "full").contains(strategy)) {
      throw new CliException("--strategy must be class, default or full, got '" + strategy + "'");
    }
    if (selectLayers.isEmpty()) {
      return new FeatureSpec(selectLayers, strategy, !noPostLayerNorm, pooled);
    }
    int layers;
    try {
      layers = HfConfigs.read(modelDir.toAbsolutePath()).numHiddenLayers();
    } catch (RuntimeException e) {
      throw new CliException("cannot read the model at " + modelDir + ": " + e.getMessage());
    }
    for (int layer : selectLayers) {
      if (layer < -(layers + 1) || layer > layers) {
        throw new CliException(
            "--select-layers "
                + layer
                + ": this model has "
                + layers
                + " layers, so hidden-state indices are in ["
                + -(layers + 1)
                + ", "
                + layers
                + "] (0 is the embeddings)");
      }
    }
    return new FeatureSpec(selectLayers, strategy, !noPostLayerNorm, pooled);
  }
}
