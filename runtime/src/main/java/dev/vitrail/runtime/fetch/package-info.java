/** Opt-in fetching of image URLs: allow-list, address checks after DNS, limits and redirects. */
package dev.vitrail.runtime.fetch;
