package io.cloudconnect.provisioner.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layout docs/DESIGN.md describes, checked on the compiled service: packages follow the flow of
 * a request without a cycle between them, and the rules in saga/ stay pure (no other package of the
 * service, no Quarkus, no Mutiny, no clock of their own).
 */
class LayeringTest {
  private static final JavaClasses SERVICE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.cloudconnect.provisioner");

  @Test
  void noPackageDependsOnItselfThroughAnother() {
    slices().matching("io.cloudconnect.provisioner.(*)..").should().beFreeOfCycles().check(SERVICE);
  }

  @Test
  void theRulesDependOnNothingButThemselves() {
    classes()
        .that()
        .resideInAPackage("io.cloudconnect.provisioner.saga..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.cloudconnect.provisioner.saga..",
            "java..",
            // the entity's mapping and JSON values (the tunnel data as emnify gives it): no I/O
            "jakarta.persistence..",
            "com.fasterxml.jackson..")
        .check(SERVICE);
    noClasses()
        .that()
        .resideInAPackage("io.cloudconnect.provisioner.saga..")
        .should()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .callMethod(java.time.Clock.class, "instant")
        .check(SERVICE);
  }
}
