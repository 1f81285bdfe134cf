/** HuggingFace config.json records and runtime settings. */
package dev.vitrail.config;
