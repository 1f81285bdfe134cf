/** Tests that every example in README.md and docs/*.md still runs against the code. */
package dev.vitrail.runtime.docs;
