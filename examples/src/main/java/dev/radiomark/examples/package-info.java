/** Main class of the {@code wm} launcher jar. */
package dev.radiomark.examples;
