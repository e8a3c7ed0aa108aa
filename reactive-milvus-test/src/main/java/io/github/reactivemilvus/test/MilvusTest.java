package io.github.reactivemilvus.test;

import io.github.reactivemilvus.test.server.LiteVersion;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JUnit 5 test class against a real Milvus: Milvus Lite (no Docker) started for it, or the external server
 * named by {@code REACTIVE_MILVUS_TEST_URI}. Test methods, lifecycle methods and constructors get what they
 * declare: {@code ReactiveConnections} (alias {@code default} on the server), {@code MilvusClient},
 * {@link MilvusNames} (this test's collection-name prefix or database), {@code @MilvusUri String},
 * {@code MilvusServer}, {@code MilvusLite}.
 *
 * <pre>{@code
 * @MilvusTest
 * class BookSearchTest {
 *   @Test
 *   void findsTheBook(MilvusClient milvus, MilvusNames names) {
 *     String books = names.collection("books");
 *     StepVerifier.create(milvus.createCollection(books, 4, "COSINE")).verifyComplete();
 *     ...
 *   }
 * }
 * }</pre>
 *
 * @see MilvusExtension
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MilvusExtension.class)
public @interface MilvusTest {

  /** The Milvus Lite release to start (ignored with an external server). */
  LiteVersion lite() default LiteVersion.V3_2_2;

  /** One server for every test class of the JVM (the default), or one for this class alone. */
  Scope scope() default Scope.JVM;

  /** How tests are kept from seeing each other's data. */
  Isolation isolation() default Isolation.COLLECTION_PREFIX;

  /** How long a server lives. */
  enum Scope {
    /** Started for the test class, stopped after it: a fresh, empty server. */
    CLASS,
    /** Started once, shared by every test class asking for the same release, stopped when the JVM exits. */
    JVM
  }

  /** How tests share a server. */
  enum Isolation {
    /**
     * Each test method gets a collection-name prefix of its own ({@link MilvusNames#collection(String)}); the
     * collections with it are dropped after the test.
     */
    COLLECTION_PREFIX,
    /**
     * Each test class gets a database of its own, bound to the injected registry's {@code default} alias and
     * dropped after the class (Milvus Lite 3.2.2 and real Milvus; Milvus Lite 2.5.1 has no databases). Test
     * methods still get a collection-name prefix.
     */
    DATABASE
  }
}
