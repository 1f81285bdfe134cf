/** HuggingFace {@code config.json} files parsed into one typed record per vision family. */
package dev.vitrail.config.hf;
