/** The {@code milvus-connections} command line ({@code check}, {@code resolve}); not an API. */
@NullMarked
package io.github.reactivemilvus.cli;

import org.jspecify.annotations.NullMarked;
