/** Access to the golden fixture files shared with the reference implementations. */
package dev.vitrail.actors.golden;
