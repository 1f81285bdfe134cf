/** Dedupe before decode: features and pixels cached by a hash of the encoded image bytes. */
package dev.vitrail.runtime.dedupe;
