package dev.vitrail.runtime.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build's architecture rules over the product classes (config, encoders, actors, runtime: all
 * on this module's class path, test classes left out): no package cycle, the modules' one-way
 * dependencies, no Pekko below the actors, and no benchmark code in the product.
 */
class ArchitectureTest {
  private static JavaClasses product;

  @BeforeAll
  static void importProduct() {
    product =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vitrail");
    // a rule over nothing passes; make sure every module was found
    for (String module : new String[] {"config", "encoders", "actors", "runtime"}) {
      String pkg = "dev.vitrail." + module;
      assertTrue(
          product.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)), pkg + " not found");
    }
  }

  @Test
  void noPackageCycles() {
    // each package its own slice: a cycle between any two packages fails the build
    slices().matching("dev.vitrail.(**)").should().beFreeOfCycles().check(product);
  }

  @Test
  void modulesDependOneWay() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("config")
        .definedBy("dev.vitrail.config..")
        .layer("encoders")
        .definedBy("dev.vitrail.encoders..")
        .layer("actors")
        .definedBy("dev.vitrail.actors..")
        .layer("runtime")
        .definedBy("dev.vitrail.runtime..")
        .whereLayer("runtime")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("actors")
        .mayOnlyBeAccessedByLayers("runtime")
        .whereLayer("encoders")
        .mayOnlyBeAccessedByLayers("actors", "runtime")
        .check(product);
  }

  @Test
  void configAndEncodersHaveNoPekko() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.vitrail.config..", "dev.vitrail.encoders..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.pekko..", "scala..")
        .check(product);
  }

  @Test
  void noBenchmarkCodeInTheProduct() {
    // harnesses live in the bench module (dev.vitrail.bench..), which is not on this class path
    noClasses()
        .should()
        .resideInAPackage("..bench..")
        .orShould()
        .haveSimpleNameEndingWith("Bench")
        .orShould()
        .haveSimpleNameEndingWith("Benchmark")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("dev.vitrail.bench..")
        .check(product);
    // every harness is a main class; the product has four entry points
    methods()
        .that()
        .haveName("main")
        .and()
        .haveModifier(JavaModifier.STATIC)
        .should()
        .beDeclaredIn(dev.vitrail.runtime.cli.Main.class)
        .orShould()
        .beDeclaredIn(dev.vitrail.encoders.tensor.BlasProbe.class)
        .orShould()
        .beDeclaredIn(dev.vitrail.runtime.cli.ResidentMain.class)
        .orShould()
        .beDeclaredIn(dev.vitrail.runtime.cli.resident.ResidentClient.class)
        .because(
            "the CLI, the resident JVM and its client, and the BLAS probe's child JVM are the only"
                + " entry points")
        .check(product);
    classes().should().resideInAPackage("dev.vitrail..").check(product);
  }
}
