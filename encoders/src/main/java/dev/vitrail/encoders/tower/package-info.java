/**
 * What the ViT-style towers share: the VitTower base, the pre-norm encoder layer, tower outputs,
 * and the fixed-size FeatureEncoder.
 */
package dev.vitrail.encoders.tower;
