package io.github.reactivemilvus.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.github.reactivemilvus.internal.Internal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layout of README "Architecture": the public registry API on top, config resolution
 * and channel plumbing below it, the command line beside it, and no cycle anywhere.
 */
class PackageDependenciesTest {
  private static final String ROOT = "io.github.reactivemilvus";
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
  }

  /** Each package of the library is one slice, the root package included. */
  private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String pkg = javaClass.getPackageName();
      if (pkg.equals(ROOT)) {
        return SliceIdentifier.of("api");
      }
      if (pkg.startsWith(ROOT + ".")) {
        return SliceIdentifier.of(pkg.substring(ROOT.length() + 1).split("\\.")[0]);
      }
      return SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "the library's packages";
    }
  };

  @Test
  void noPackageCycles() {
    slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(classes);
  }

  @Test
  void configResolutionKnowsNothingOfTransportOrRegistry() {
    noClasses().that().resideInAPackage(ROOT + ".config..")
        .should().dependOnClassesThat().resideInAnyPackage(
            ROOT, ROOT + ".internal..", ROOT + ".cli..", ROOT + ".proto..", "io.grpc..", "io.netty..",
            "reactor.netty..")
        .check(classes);
  }

  @Test
  void channelPlumbingDoesNotReachUpIntoTheApi() {
    noClasses().that().resideInAPackage(ROOT + ".internal..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT, ROOT + ".cli..")
        .check(classes);
  }

  /** What is public in {@code internal} says so (and is left out of the javadoc jar). */
  @Test
  void everyPublicTypeOfTheInternalPackageIsMarkedInternal() {
    classes().that().resideInAPackage(ROOT + ".internal..").and().arePublic().and().areTopLevelClasses()
        .should().beAnnotatedWith(Internal.class)
        .check(classes);
  }

  /** Public for its package's sake only: the command line's entry point is not API either. */
  @Test
  void theCommandLineEntryPointIsMarkedInternal() {
    classes().that().resideInAPackage(ROOT + ".cli..").and().arePublic().and().areTopLevelClasses()
        .should().beAnnotatedWith(Internal.class)
        .check(classes);
  }

  @Test
  void onlyTheCommandLineUsesPicocli() {
    noClasses().that().resideOutsideOfPackage(ROOT + ".cli..")
        .should().dependOnClassesThat().resideInAnyPackage("picocli..")
        .check(classes);
  }

  /** Jackson is the typed client's JSON codec and the command line's; the registry never needs it. */
  @Test
  void onlyTheCommandLineAndTheTypedClientUseJackson() {
    noClasses().that().resideOutsideOfPackages(ROOT + ".cli..", ROOT + ".client..")
        .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..")
        .check(classes);
  }

  @Test
  void theLibraryDoesNotDependOnTheCommandLine() {
    noClasses().that().resideOutsideOfPackage(ROOT + ".cli..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".cli..")
        .check(classes);
  }

  @Test
  void micrometerIsReachedOnlyThroughTheBinderAndTheObservations() {
    // the builder only names ObservationRegistry in a method signature: it loads without Micrometer
    noClasses().that().haveNameNotMatching(".*\\.(ReactiveConnectionsMetrics|MicrometerMetrics|CallObservations"
            + "|MilvusObservationContext|MilvusObservationConvention|DefaultMilvusObservationConvention"
            + "|ReactiveConnections\\$Builder)(\\$.*)?")
        .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
        .check(classes);
  }

  @Test
  void theGeneratedProtocolDependsOnNothingOfTheLibrary() {
    noClasses().that().resideInAPackage(ROOT + ".proto..")
        .should().dependOnClassesThat().resideInAnyPackage(
            ROOT, ROOT + ".config..", ROOT + ".internal..", ROOT + ".cli..")
        .check(classes);
  }
}
