/** Locating the golden fixtures for tests. */
package dev.vitrail.encoders.golden;
