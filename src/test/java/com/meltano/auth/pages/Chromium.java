package com.meltano.auth.pages;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.restassured.RestAssured;

/**
 * A real headless Chromium for the page tests (SPEC section 5), driven by Debian's packaged
 * {@code chromedriver}. Both binaries are named explicitly, so Selenium Manager is never asked to
 * find (or download) a driver or a browser: the tests need no network. Missing binaries fail the
 * test with a pointer to {@code .ci/run}, which installs them; a page test that silently skips
 * would prove nothing.
 *
 * <p>One instance for the test classes of a test profile ({@link #shared()}: Chromium takes a
 * second and a half to start on two cores); {@link #forgetEverything()} between tests gives each
 * test a browser without cookies, as a fresh profile would.
 */
public final class Chromium implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENS = Path.of("target", "page-screens");
    private static final Dimension DESKTOP = new Dimension(1280, 900);

    private static Chromium shared;

    private final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * The browser of the test classes, started on first use and quit when the test JVM exits; a new
     * one if it died (each profile's classes see their own, as each profile loads them anew).
     */
    public static synchronized Chromium shared() {
        if (shared == null || !shared.alive()) {
            Chromium started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "chromium-quit"));
            shared = started;
        }
        return shared;
    }

    private boolean alive() {
        try {
            driver.getWindowHandles();
            return true;
        } catch (WebDriverException gone) {
            return false;
        }
    }

    /** Starts headless Chromium with a fresh profile directory. */
    public static Chromium start() {
        for (Path p : List.of(BINARY, DRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError(p + " is missing: the page tests need Debian's chromium and chromium-driver"
                        + " packages; .ci/run installs them (apt-get install -y chromium chromium-driver)");
            }
        }
        // the packaged driver, named twice: the property for anything that looks it up, the service for this driver
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("meltano-auth-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // tests run as root in CI containers
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--no-proxy-server",
                "--disable-extensions",
                "--disable-sync",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-features=Translate,OptimizationHints,MediaRouter,PasswordLeakDetection,AutofillServerCommunication",
                "--lang=en-US",
                "--window-size=" + DESKTOP.width + "," + DESKTOP.height,
                "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of("credentials_enable_service", false,
                "profile.password_manager_enabled", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new Chromium(driver, profile);
    }

    public WebDriver driver() {
        return driver;
    }

    /** The server under test, as the browser reaches it. */
    public static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    /** Opens a path of the server under test, or an absolute URL. */
    public void open(String pathOrUrl) {
        driver.get(pathOrUrl.startsWith("http") ? pathOrUrl : base() + pathOrUrl);
    }

    /** No cookies, one tab, desktop size: the state of a fresh profile, without a new start. */
    public void forgetEverything() {
        List<String> handles = List.copyOf(driver.getWindowHandles());
        for (int i = 1; i < handles.size(); i++) {
            driver.switchTo().window(handles.get(i));
            driver.close();
        }
        driver.switchTo().window(handles.get(0));
        driver.get("about:blank");
        // every host's cookies at once (deleteAllCookies only reaches the current page's host)
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.manage().window().setSize(DESKTOP);
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    public WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(10), Duration.ofMillis(25));
    }

    /** Waits until the page that held {@code element} has been replaced (a navigation after a submit). */
    public void waitForNewPage(WebElement element) {
        waiting().until(d -> replaced(element));
        waiting().until(d -> "complete".equals(script("return document.readyState")));
    }

    /**
     * Whether the element is gone with its page. Chromium answers a node of a page being replaced
     * with either a stale reference or, in the middle of the swap, "Node with given id does not
     * belong to the document"; both mean the old page is gone ({@code stalenessOf} knows the first).
     */
    private static boolean replaced(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException gone) {
            return true;
        } catch (WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /** The visible text of the page. */
    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Saves what the browser shows to {@code target/page-screens/<name>.png}, for a person to look at. */
    public void screenshot(String name) {
        try {
            Files.createDirectories(SCREENS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENS.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(shot.toPath());
        } catch (IOException | RuntimeException e) {
            // a missing screenshot must not hide the test's own result
            System.err.println("screenshot " + name + " not saved: " + e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp directory is harmless
            }
        }
    }
}
