/**
 * Optional ND4J adapter: the only package that references ND4J types. Add {@code nd4j-api} and
 * a backend to use it; nothing else in the core needs them.
 */
package dev.radiomark.nd4j;
