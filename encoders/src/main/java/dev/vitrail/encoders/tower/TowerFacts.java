package dev.vitrail.encoders.tower;

/**
 * The config facts a {@link VisionTower} reports about itself.
 *
 * @param family the family name, e.g. {@code "clip"}
 * @param imageSize side of the square input image in pixels
 * @param numChannels input channels
 * @param numHiddenLayers number of encoder layers
 * @param hasClassToken whether the first token is a class token
 */
public record TowerFacts(
    String family, int imageSize, int numChannels, int numHiddenLayers, boolean hasClassToken) {}
