/** Image decoding, RGB conversion, Pillow-exact resizing and the HuggingFace image processors. */
package dev.vitrail.encoders.preprocess;
