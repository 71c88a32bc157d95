package dev.backprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.IdxDataSets;
import dev.backprop.core.data.IdxFile;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.Trainer;
import dev.backprop.parallel.EngineKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.SparkConf;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training on a real standalone cluster: a master and two workers started by {@code tools/spark-cluster} as
 * JVMs of their own on loopback, executors launched by the workers with nn-spark-all.jar sent by the driver,
 * so every task, weight and partial sum crosses a process boundary. The same run as on local[2] with the same
 * partitioning gives the same bits, and so does a run whose executor is killed while it computes a task.
 */
class SparkClusterIT {
    private static final String SAMPLE = "dev/backprop/cli/fashion-mnist-sample/";
    private static final int PARTITIONS = 4;
    private static final int EPOCHS = 2;
    private static final int BATCH = 1024;
    /** Training jobs that finish before the executor is killed: the kill falls in the middle of the run. */
    private static final int JOBS_BEFORE_KILL = 3;
    private static final long START_SECONDS = 150;

    private static final Path ROOT = Path.of(property("nn.spark.root")).toAbsolutePath().normalize();
    private static final Network NETWORK = Network.builder(784, 64, 10).hiddenActivation(Activation.RELU)
            .softmaxCrossEntropy().build();

    /** The cluster's logs, process ids and work directories: kept after the run, to read when it fails. */
    private static final Path CLUSTER_DIR = Path.of(property("nn.spark.cluster.dir")).toAbsolutePath();
    private static DataSet train;
    private static String masterUrl;
    private static Thread stopOnExit;

    @BeforeAll
    static void startCluster() throws Exception {
        Files.createDirectories(CLUSTER_DIR);
        train = IdxDataSets.of(idx("train-images-idx3-ubyte.gz"), idx("train-labels-idx1-ubyte.gz"), 10);
        // Should this JVM be ended from outside (a build timeout), the cluster goes with it.
        stopOnExit = new Thread(SparkClusterIT::stopCluster);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        long start = System.nanoTime();
        String out = cluster(START_SECONDS, "start", "--workers", "2", "--cores", "1", "--memory", "1g",
                "--port", "0", "--webui-port", "0");
        masterUrl = Files.readString(CLUSTER_DIR.resolve("master-url")).strip();
        assertTrue(masterUrl.matches("spark://127\\.0\\.0\\.1:\\d+"), "master URL " + masterUrl + " from " + out);
        System.out.printf(Locale.ROOT, "tools/spark-cluster started %s and two workers in %.1f s%n", masterUrl,
                (System.nanoTime() - start) / 1e9);
    }

    @AfterAll
    static void stopClusterAndCheckNothingIsLeft() throws Exception {
        List<ProcessHandle> daemons = new ArrayList<>();
        for (String name : List.of("master", "worker-1", "worker-2")) {
            pid(name).flatMap(ProcessHandle::of).ifPresent(daemons::add);
        }
        List<ProcessHandle> all = new ArrayList<>(daemons);
        daemons.forEach(d -> d.descendants().forEach(all::add));
        stopCluster();
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
        for (ProcessHandle p : all) {
            assertTrue(!p.isAlive(), "process " + p.pid() + " (" + p.info().command().orElse("?") + ") outlived the cluster");
        }
        assertTrue(daemons.size() == 3, "the master and two workers were found: " + daemons);
    }

    @Test
    void clusterRunsGiveTheBitsOfLocal2EvenWhenAnExecutorDies() throws Exception {
        Parameters local;
        try (JavaSparkContext sc = context(new SparkConf().setMaster("local[2]"))) {
            local = train(sc, null, "local[2]");
        }
        SparkConf cluster = new SparkConf().setMaster(masterUrl)
                .setJars(new String[] {property("nn.spark.jar")})
                .set("spark.executor.extraJavaOptions", property("nn.spark.executor.options"))
                .set("spark.executor.memory", "512m")
                .set("spark.executor.cores", "1")
                .set("spark.cores.max", "2");
        try (JavaSparkContext sc = context(cluster)) {
            awaitExecutors(sc, 2);
            Parameters onCluster = train(sc, null, masterUrl);
            assertEquals(hash(local), hash(onCluster), "the cluster against local[2], 4 partitions each");
            assertArrayEquals(local.values(), onCluster.values());

            Killer killer = new Killer();
            Parameters afterKill = train(sc, killer, masterUrl + ", an executor killed");
            assertTrue(killer.killed.get() != null, "no executor was killed");
            assertTrue(killer.jobsAtKill.get() >= JOBS_BEFORE_KILL && killer.jobsAtKill.get() < killer.jobs.get(),
                    "killed after " + killer.jobsAtKill.get() + " of " + killer.jobs.get() + " jobs");
            assertTrue(killer.removed.get(), "the driver never saw executor " + killer.victim + " go");
            assertTrue(killer.failedTasks.get() >= 1, "no task was lost with the executor, so none was retried");
            assertEquals(hash(local), hash(afterKill), "a run that lost an executor against local[2]");
        }
    }

    private static JavaSparkContext context(SparkConf conf) {
        conf.setAppName("nn-spark cluster test").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }

    /** Trains the sample's network on {@code sc}; with a killer, kills an executor on the way. */
    private static Parameters train(JavaSparkContext sc, Killer killer, String what) throws Exception {
        long start = System.nanoTime();
        SparkDataSet spread = SparkDataSet.of(sc, train, PARTITIONS);
        if (killer != null) {
            killer.aim();
            sc.sc().addSparkListener(killer);
        }
        Parameters params = Parameters.initialize(NETWORK, Initializer.he(), 1);
        Trainer trainer = Trainer.builder().optimizer(Optimizer.adam(0.002)).batchSize(BATCH).epochs(EPOCHS).seed(7).build();
        long steps = new SparkTrainer(new SparkGradient(sc, EngineKind.SIMD), trainer).train(params, spread).steps();
        double seconds = (System.nanoTime() - start) / 1e9;
        spread.unpersist();
        if (killer != null) {
            sc.sc().listenerBus().waitUntilEmpty(30_000); // every event of the run seen by the killer
            sc.sc().removeSparkListener(killer);
        }
        System.out.printf(Locale.ROOT, "%s: %d steps of %d examples in %.1f s (data set made and spread included), %,.0f examples/s;"
                + " weights %s%n", what, steps, BATCH, seconds, steps * BATCH / seconds, hash(params).substring(0, 16));
        return params;
    }

    /** Kills worker 1's executor as it starts a task, once some training jobs are done; counts what follows. */
    private static final class Killer extends SparkListener {
        final AtomicInteger jobs = new AtomicInteger();
        final AtomicInteger jobsAtKill = new AtomicInteger(-1);
        final AtomicInteger failedTasks = new AtomicInteger();
        final AtomicReference<ProcessHandle> killed = new AtomicReference<>();
        final AtomicBoolean removed = new AtomicBoolean();
        volatile ProcessHandle executor;
        volatile String victim;

        /** Finds the executor JVM that worker 1 launched for this application, and its executor id. */
        void aim() {
            ProcessHandle worker = pid("worker-1").flatMap(ProcessHandle::of).orElseThrow();
            ProcessHandle found = worker.children().filter(p -> p.info().arguments().isPresent()
                    && List.of(p.info().arguments().get()).contains("--executor-id")).findFirst()
                    .orElseThrow(() -> new AssertionError("worker 1 (pid " + worker.pid() + ") has no executor"));
            List<String> args = List.of(found.info().arguments().get());
            executor = found;
            victim = args.get(args.indexOf("--executor-id") + 1);
        }

        @Override
        public void onJobEnd(SparkListenerJobEnd end) {
            jobs.incrementAndGet();
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart start) {
            if (victim.equals(start.taskInfo().executorId()) && jobs.get() >= JOBS_BEFORE_KILL
                    && killed.compareAndSet(null, executor)) {
                jobsAtKill.set(jobs.get());
                executor.destroyForcibly(); // SIGKILL: no shutdown, no goodbye to the driver
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() != Success$.MODULE$) {
                failedTasks.incrementAndGet();
            }
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved removal) {
            if (removal.executorId().equals(victim)) {
                removed.set(true);
            }
        }
    }

    private static void awaitExecutors(JavaSparkContext sc, int executors) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (sc.sc().getExecutorMemoryStatus().size() < executors + 1) { // the driver's block manager counts too
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + (sc.sc().getExecutorMemoryStatus().size() - 1) + " of " + executors
                        + " executors registered in 90 s; the workers' logs are under " + CLUSTER_DIR);
            }
            Thread.sleep(200);
        }
    }

    private static String hash(Parameters params) throws NoSuchAlgorithmException {
        byte[] bytes = ModelFile.encode(new Model(params, Map.of()), ModelFile.Precision.FLOAT64);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static Optional<Long> pid(String daemon) {
        try {
            return Optional.of(Long.parseLong(Files.readString(CLUSTER_DIR.resolve(daemon + ".pid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void stopCluster() {
        try {
            cluster(60, "stop");
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the cluster in " + CLUSTER_DIR, e);
        }
    }

    /** Runs tools/spark-cluster with {@code args} on the test's directory; its output, or an error with it. */
    private static String cluster(long seconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("tools/spark-cluster").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--dir", CLUSTER_DIR.toString()));
        Path log = Files.createTempFile("spark-cluster", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s:\n" + Files.readString(log));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** A setting that nn-spark's pom gives the test JVM. */
    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("the system property " + name + " is not set; run this test through Maven (-Pspark)");
        }
        return value;
    }

    private static IdxFile idx(String name) throws IOException {
        try (InputStream in = SparkClusterIT.class.getClassLoader().getResourceAsStream(SAMPLE + name)) {
            return IdxFile.read(Path.of(name), in);
        }
    }
}
