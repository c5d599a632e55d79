package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.Scheduling;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.worker.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * The dashboard in a real browser (the system's headless Chromium) against the real embedded farm: it follows a job's
 * progress live, shows its chunk timeline, attempts and logs, cancels another job, drains and releases a worker, and
 * leaves screenshots of its three pages (and an attempt's log) in target/dashboard/.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "dashboard");

    @TempDir
    Path dir;

    @Test
    void theDashboardFollowsAJobLiveShowsItsTimelineAndControlsJobsAndWorkers() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "skipped: the browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver); .ci/run installs them");
        // with a second offer per worker, the next chunk waits at the worker while it renders one
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString(), "FARM_SCHEDULING_OFFERS_PER_WORKER", "2"));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            JobStatus feature = client.submit(SharedFiles.media("face_4.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 8, "mkv"));
            JobStatus queued = client.submit(SharedFiles.media("face_2.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 64, "mkv")
                    .with(new Scheduling(10, null)));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            boolean prefetched = false;
            while (!prefetched && System.nanoTime() < deadline) {
                List<facefarm.common.jobs.AttemptStatus> attempts = client.attempts(feature.id());
                prefetched = attempts.stream().anyMatch(a -> a.state() == facefarm.common.jobs.AttemptState.RUNNING)
                        && attempts.stream().anyMatch(a -> a.state() == facefarm.common.jobs.AttemptState.OFFERED && "worker-1".equals(a.assignedWorker()));
                Thread.sleep(50);
            }
            assertTrue(prefetched, "the worker held a second offer while it rendered a chunk");
            Files.createDirectories(SCREENSHOTS);
            WebDriver browser = chromium();
            try {
                // the page re-renders on every change: an element read a moment ago may be gone, so waits look again
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
                browser.get(farm.apiUrl() + "/#token=" + farm.token());

                // the job list, live: the feature's frames go up without the page being loaded again
                wait.until(b -> rowOf(b, feature.id()).getText().contains("RUNNING"));
                ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.loadedOnce = true");
                long first = wait.until(b -> framesDone(rowOf(b, feature.id())));
                wait.until(b -> framesDone(rowOf(b, feature.id())) > first + 8);
                assertEquals(Boolean.TRUE, ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.loadedOnce"),
                        "the progress advanced by live updates, not by reloading");
                String queuedRow = wait.until(b -> rowOf(b, queued.id()).getText());
                assertTrue(queuedRow.contains("PREPARING") || queuedRow.contains("RUNNING"), queuedRow);
                assertTrue(queuedRow.matches("(?s).*\\b10\\b.*"), "the list shows its priority, 10: " + queuedRow);
                screenshot(browser, "jobs.png");

                // cancel the queued job from its row
                click(wait, b -> rowOf(b, queued.id()).findElement(By.cssSelector("button[data-action=cancel]")));
                wait.until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent()).accept();
                wait.until(b -> rowOf(b, queued.id()).getText().contains("CANCELLED"));
                assertEquals(JobState.CANCELLED, client.job(queued.id()).state());
                assertEquals("cancel", client.history(queued.id()).get(1).action());

                // the feature's page: the chunk timeline by worker, a chunk's attempts and its log, the preview
                click(wait, b -> rowOf(b, feature.id()).findElement(By.linkText(feature.id().substring(0, 8))));
                wait.until(b -> b.findElements(By.cssSelector("#timeline rect[data-chunk]")).size() >= 2);
                assertTrue(browser.findElement(By.id("timeline")).getText().contains("worker-1"), "the timeline's rows are workers");
                wait.until(b -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) b).executeScript(
                        "const i = document.getElementById('preview'); return i != null && i.complete && i.naturalWidth > 0"));
                ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
                screenshot(browser, "job.png");
                click(wait, b -> b.findElement(By.cssSelector("button[data-action=attempts][data-chunk='0']")));
                String attempt = wait.until(b -> b.findElements(By.cssSelector("#attempts tbody tr")).isEmpty() ? null
                        : b.findElement(By.cssSelector("#attempts tbody tr")).getText());
                assertTrue(attempt.contains("COMPLETED") && attempt.contains("worker-1"), attempt);
                click(wait, b -> b.findElement(By.cssSelector("#attempts tbody tr button[data-action=log]")));
                wait.until(b -> b.findElement(By.id("log")).getText().contains("chunk=0 "));
                ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('log').scrollIntoView()");
                screenshot(browser, "job-attempt-log.png");

                // the workers page: drain the worker from it, then release it
                browser.get(farm.apiUrl() + "/#/workers");
                wait.until(b -> workerRow(b).getText().contains("IN_SERVICE") && workerRow(b).getText().contains("cpu"));
                screenshot(browser, "workers.png");
                click(wait, b -> workerRow(b).findElement(By.cssSelector("button[data-action=drain]")));
                wait.until(b -> workerRow(b).getText().contains("DRAINED"));
                assertEquals("DRAINED", client.workers().get(0).get("state"));
                click(wait, b -> workerRow(b).findElement(By.cssSelector("button[data-action=release]")));
                wait.until(b -> workerRow(b).getText().contains("IN_SERVICE"));
            } finally {
                browser.quit();
            }
            assertEquals(JobState.DONE, client.follow(feature.id(), s -> { }).state(), "the drained and released worker finished the feature");
        }
    }

    /** Clicks what {@code find} finds, finding it again if a re-render replaced it first. */
    private static void click(WebDriverWait wait, java.util.function.Function<WebDriver, WebElement> find) {
        wait.until(b -> {
            WebElement element = find.apply(b);
            element.click();
            return true;
        });
    }

    /** Headless Chromium with everything that would call a host other than the farm turned off. */
    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
                "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--metrics-recording-only", "--no-pings");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }

    /** The job's row of the list; a wait looks again while there is none ({@link org.openqa.selenium.NoSuchElementException}). */
    private static WebElement rowOf(WebDriver browser, String jobId) {
        return browser.findElement(By.cssSelector("tr[data-job-row='" + jobId + "']"));
    }

    private static WebElement workerRow(WebDriver browser) {
        return browser.findElement(By.cssSelector("tr[data-worker-row='worker-1']"));
    }

    /** The "done / total" frames cell of a job's row. */
    private static long framesDone(WebElement row) {
        for (WebElement cell : row.findElements(By.cssSelector("td.num"))) {
            if (cell.getText().contains(" / ")) {
                return Long.parseLong(cell.getText().split(" / ")[0].trim());
            }
        }
        throw new AssertionError("no frames cell in " + row.getText());
    }

    private static void screenshot(WebDriver browser, String name) throws java.io.IOException {
        Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
