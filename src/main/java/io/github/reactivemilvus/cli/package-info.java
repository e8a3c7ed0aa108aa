/** The {@code milvus-connections} command line ({@code check}, {@code resolve}); not an API. */
package io.github.reactivemilvus.cli;
