package io.github.reactivemilvus.test;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The names one test uses on a shared server: a collection-name prefix unique in the JVM (and, through a
 * random part, among JVMs sharing an external server), and the database of the test class. Immutable.
 */
public final class MilvusNames {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final String RUN = Integer.toString((int) (Math.random() * 36 * 36 * 36), 36);

  private final String prefix;
  private final String database;

  MilvusNames(String prefix, String database) {
    this.prefix = prefix;
    this.database = database;
  }

  /** Names for a test called {@code testName}, in {@code database}. */
  static MilvusNames forTest(String testName, String database) {
    String clean = testName.replaceAll("[^A-Za-z0-9]", "");
    if (clean.length() > 32) {
      clean = clean.substring(0, 32);
    }
    return new MilvusNames("t" + RUN + COUNTER.incrementAndGet() + "_" + clean.toLowerCase(Locale.ROOT) + "_", database);
  }

  /** The prefix every collection of this test starts with, for example {@code tk3f7_findsthebook_}. */
  public String prefix() {
    return prefix;
  }

  /** {@code base} with this test's prefix: the collection name to use. */
  public String collection(String base) {
    return prefix + base;
  }

  /** The database the injected registry's {@code default} alias is bound to ({@code default} unless isolated by database). */
  public String database() {
    return database;
  }

  @Override
  public String toString() {
    return "MilvusNames[prefix=" + prefix + ", database=" + database + "]";
  }
}
