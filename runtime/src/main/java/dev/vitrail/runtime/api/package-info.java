/** The embedded Java API: start Vitrail from settings, encode, close. */
package dev.vitrail.runtime.api;
