/** What the ViT-style towers share: the pre-norm encoder layer, tower outputs, and the fixed-size FeatureEncoder. */
package dev.vitrail.encoders.tower;
