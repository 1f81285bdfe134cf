/** Typed, validated runtime settings read from the {@code vitrail} HOCON namespace. */
package dev.vitrail.config.settings;
