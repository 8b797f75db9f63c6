package io.cloudconnect.provisioner.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.OperatorTokens;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real headless browser (Debian's chromium and chromedriver, installed by
 * scripts/browser.sh): sign in with a token, watch a published request become READY on the page,
 * and cancel a stuck one from the page, which ends in a compensated failed event. Leaves a
 * screenshot of the console in target/console.png (the README's picture).
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class ConsoleBrowserTest {
  static final String CHROMIUM = System.getProperty("browser.binary", "/usr/bin/chromium");
  static final String DRIVER = System.getProperty("browser.driver", "/usr/bin/chromedriver");

  @TestHTTPResource("/console/index.html")
  URL console;

  @InjectSimulator EmnifySimulator simulator;

  private final KafkaFixture kafka = KafkaFixture.get();
  private WebDriver browser;
  private Path profile;

  @BeforeEach
  void openBrowser() throws Exception {
    assertThat(new File(CHROMIUM)).as("chromium (scripts/browser.sh installs it)").exists();
    assertThat(new File(DRIVER)).as("chromedriver (scripts/browser.sh installs it)").exists();
    profile = Files.createTempDirectory("console-browser");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1500,1900",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void aRequestBecomesReadyOnThePageAndACancelFromThePageEndsCompensated() throws Exception {
    browser.get(console.toString());
    browser.findElement(By.id("token")).sendKeys(OperatorTokens.token("olga", "operator"));
    browser.findElement(By.id("sign-in")).click();
    wait(Duration.ofSeconds(10)).until(b -> b.findElement(By.id("console")).isDisplayed());

    // published to Kafka, followed on the page until READY
    String ready = Requests.newRequestId("console-ready");
    kafka.send(ready, Requests.staticVpn(ready).toString());
    search("console-");
    wait(Duration.ofSeconds(30)).until(b -> "READY".equals(stateOnPage(ready)));
    assertThat(Outcomes.ready(ready).data().get("attachment_id").asLong()).isPositive();

    // a request that stays pending at emnify, cancelled from the page
    String stuck = Requests.newRequestId("console-stuck");
    var request = Requests.staticVpn(stuck);
    Requests.attachment(request).put("name", "stuck site [sim:stuck]");
    kafka.send(stuck, request.toString());
    wait(Duration.ofSeconds(30)).until(b -> "PROVISIONING".equals(stateOnPage(stuck)));
    // listed as stuck once open longer than the test profile's 3 s
    wait(Duration.ofSeconds(15))
        .until(
            b ->
                !b.findElements(By.cssSelector("#stuck tr[data-request-id='" + stuck + "']"))
                    .isEmpty());
    screenshot(); // one ready, one stuck with its dwell time, the budget and the breakers

    browser.findElement(By.id("reason")).sendKeys("customer cancelled the site");
    wait(Duration.ofSeconds(5))
        .until(
            b ->
                b.findElement(
                    By.cssSelector(
                        "#requests button[data-action='cancel'][data-request-id='" + stuck + "']")))
        .click();

    wait(Duration.ofSeconds(30)).until(b -> "FAILED".equals(stateOnPage(stuck)));
    Outcomes.Event failed = Outcomes.failed(stuck, "CANCELLED");
    assertThat(failed.data().get("compensation").get("status").asText()).isEqualTo("deleted");
    // the producer learns that an operator cancelled, not who or why (that stays in the audit log)
    assertThat(failed.data().get("message").asText())
        .contains("cancelled by an operator")
        .doesNotContain("olga")
        .doesNotContain("customer cancelled the site");
    assertThat(simulator.existingWith(Requests.marker(stuck))).isEmpty();
    wait(Duration.ofSeconds(10)).until(b -> "deleted".equals(cellOnPage(stuck, "td.compensation")));
    assertThat(browser.findElement(By.id("action-result")).getText())
        .contains("cancel " + stuck + ": done");
  }

  @Test
  void aTokenWithoutARoleIsTurnedAwayAtSignIn() {
    browser.get(console.toString());
    browser.findElement(By.id("token")).sendKeys(OperatorTokens.token("nemo"));
    browser.findElement(By.id("sign-in")).click();
    wait(Duration.ofSeconds(10))
        .until(b -> !b.findElement(By.id("sign-in-error")).getText().isEmpty());
    assertThat(browser.findElement(By.id("sign-in-error")).getText()).contains("no viewer");
    assertThat(browser.findElement(By.id("console")).isDisplayed()).isFalse();
  }

  private void search(String prefix) {
    WebElement q = browser.findElement(By.id("search-q"));
    q.clear();
    q.sendKeys(prefix);
    browser.findElement(By.cssSelector("#search button[type='submit']")).click();
  }

  private String stateOnPage(String requestId) {
    return cellOnPage(requestId, "td.state");
  }

  private String cellOnPage(String requestId, String cell) {
    var cells =
        browser.findElements(
            By.cssSelector("#requests tr[data-request-id='" + requestId + "'] " + cell));
    try {
      return cells.isEmpty() ? null : cells.get(0).getText();
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return null; // the table was redrawn between finding and reading: ask again
    }
  }

  private WebDriverWait wait(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(browser, timeout, Duration.ofMillis(200));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  private void screenshot() throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", "console.png");
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }
}
