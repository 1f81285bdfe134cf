/**
 * What the towers share: the VitTower base, the pre-norm encoder layer, tower outputs, the
 * fixed-size FeatureEncoder, packed patch-row batches, feature selection without a class token, and
 * the loading scope ({@link dev.vitrail.encoders.tower.Parts}).
 */
package dev.vitrail.encoders.tower;
