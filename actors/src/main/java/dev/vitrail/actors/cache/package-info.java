/** A content-addressed, byte-bounded cache of encoded features. */
package dev.vitrail.actors.cache;
