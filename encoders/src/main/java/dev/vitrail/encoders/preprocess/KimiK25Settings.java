package dev.vitrail.encoders.preprocess;

/**
 * Kimi K2.5 media-processor settings ({@code media_proc_cfg} of {@code preprocessor_config.json},
 * transformers' {@code Kimi_K25ImageProcessor} defaults otherwise).
 *
 * @param patchSize the tower's patch side
 * @param mergeKernelSize patches merged per side; padded sides are multiples of patch · merge
 * @param inPatchLimit the most patches before an image is shrunk
 * @param patchLimitOnOneSide the most patches along one side
 * @param normalization rescale and normalize (mean = std = 0.5 by default)
 */
public record KimiK25Settings(
    int patchSize,
    int mergeKernelSize,
    long inPatchLimit,
    int patchLimitOnOneSide,
    Normalization normalization) {}
