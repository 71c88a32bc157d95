/**
 * Examples in memory ({@link dev.backprop.core.data.DataSet}) and the readers that make them from files:
 * IDX (MNIST, Fashion-MNIST; plain or gzip) and numeric CSV. Readers trust nothing in a file: every
 * problem is reported with the file and the place, and no header can make them allocate more than the
 * file really holds.
 */
package dev.backprop.core.data;
