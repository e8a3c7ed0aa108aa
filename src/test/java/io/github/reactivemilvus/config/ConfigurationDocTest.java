package io.github.reactivemilvus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's key tables are the {@link Setting} catalogue, rendered. When a setting
 * changes, run this test with {@code -Ddocs.update=true} to rewrite the tables, and review the diff.
 */
class ConfigurationDocTest {
  private static final Path DOC = Path.of("docs", "configuration.md");
  private static final String PYMILVUS = "pymilvus-keys";
  private static final String JAVA_ONLY = "java-only-keys";

  @Test
  void theKeyTablesOfTheDocumentationAreTheCatalogue() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    String expected = replaceTable(replaceTable(doc, PYMILVUS, pymilvusTable()), JAVA_ONLY, javaOnlyTable());
    if (Boolean.getBoolean("docs.update") && !expected.equals(doc)) {
      Files.writeString(DOC, expected, StandardCharsets.UTF_8);
      doc = expected;
    }
    assertThat(table(doc, PYMILVUS)).as("pymilvus keys of %s (rewrite with -Ddocs.update=true)", DOC)
        .isEqualTo(pymilvusTable());
    assertThat(table(doc, JAVA_ONLY)).as("Java-only keys of %s (rewrite with -Ddocs.update=true)", DOC)
        .isEqualTo(javaOnlyTable());
  }

  @Test
  void everyPublicConstantIsInTheCatalogueOnceAndUnderItsOwnName() throws Exception {
    List<Setting<?>> constants = Arrays.stream(Setting.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class)
        .map(f -> {
          try {
            Setting<?> s = (Setting<?>) f.get(null);
            assertThat(f.getName()).isEqualTo(s.key().toUpperCase(Locale.ROOT));
            return s;
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        })
        .collect(Collectors.toList());
    assertThat(Setting.all()).containsExactlyInAnyOrderElementsOf(constants);
    assertThat(Setting.all().stream().map(Setting::key).distinct()).hasSize(Setting.all().size());
    assertThat(ConnectionConfig.settings()).isSameAs(Setting.all());
  }

  @Test
  void everyDefaultIsOfTheSettingsTypeAndIsWhatAnEmptyConfigResolvesTo() {
    ConnectionConfig empty = ConnectionConfig.builder().build();
    for (Setting<?> s : Setting.all()) {
      if (s.defaultValue() != null) {
        assertThat(s.defaultValue()).as(s.key()).isInstanceOf(s.type());
        if (s != Setting.PORT && s != Setting.HOST) {
          assertThat(empty.<Object>get(cast(s))).as(s.key()).isEqualTo(s.defaultValue());
        }
      }
    }
    assertThat(empty.host()).isEqualTo(Setting.HOST.defaultValue());
    assertThat(empty.port()).isEqualTo(Setting.PORT.defaultValue());
  }

  @SuppressWarnings("unchecked")
  private static <T> Setting<T> cast(Setting<?> s) {
    return (Setting<T>) s;
  }

  static String pymilvusTable() {
    return render("| key | accepted types | default | meaning and rules |", s -> !s.isJavaOnly(), false);
  }

  static String javaOnlyTable() {
    return render("| key | type | default | meaning |", Setting::isJavaOnly, true);
  }

  private static String render(String header, Predicate<Setting<?>> which, boolean builderNames) {
    StringBuilder b = new StringBuilder(header).append('\n').append("|---|---|---|---|\n");
    for (Setting<?> s : Setting.all()) {
      if (which.test(s)) {
        String key = "`" + s.key() + "`";
        String method = builderMethod(s);
        if (builderNames && method != null) {
          key += " (`" + method + "`)";
        }
        b.append("| ").append(key).append(" | ").append(s.accepts()).append(" | ").append(s.defaultText())
            .append(" | ").append(s.description()).append(" |\n");
      }
    }
    return b.toString();
  }

  /** The typed builder method named after the key (pool_size → poolSize), if there is one. */
  private static String builderMethod(Setting<?> s) {
    String[] parts = s.key().split("_");
    StringBuilder name = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      name.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
    }
    for (Method m : ConnectionConfig.Builder.class.getMethods()) {
      if (m.getName().contentEquals(name) && m.getParameterCount() == 1) {
        return name.toString();
      }
    }
    return null;
  }

  private static String begin(String table) {
    return "<!-- " + table + ": generated from Setting.all() by ConfigurationDocTest -->\n";
  }

  private static String end(String table) {
    return "<!-- end of " + table + " -->\n";
  }

  private static String table(String doc, String table) {
    int from = doc.indexOf(begin(table));
    int to = doc.indexOf(end(table));
    assertThat(from).as("marker %s in %s", begin(table).strip(), DOC).isNotNegative();
    assertThat(to).as("marker %s in %s", end(table).strip(), DOC).isGreaterThan(from);
    return doc.substring(from + begin(table).length(), to);
  }

  private static String replaceTable(String doc, String table, String content) {
    int from = doc.indexOf(begin(table));
    int to = doc.indexOf(end(table));
    if (from < 0 || to < from) {
      return doc;
    }
    return doc.substring(0, from + begin(table).length()) + content + doc.substring(to);
  }
}
