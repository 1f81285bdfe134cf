/** Access to the golden fixture files shared by the encoders tests. */
package dev.vitrail.encoders.golden;
