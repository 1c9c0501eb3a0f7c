package cn.opengov.ci.opensearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Starts one OpenSearch node for the opengov_cms test suite and keeps it running until the
 * JVM is told to stop (SIGTERM / SIGINT).
 *
 * <p>Usage: {@code Launcher --home DIR --log4j2 FILE [--http-port N] [--transport-port N]}.
 * The ports default to the environment variables OPENSEARCH_PORT and
 * OPENSEARCH_TRANSPORT_PORT, then to 9200 and 9300. Everything the node writes goes under
 * the home directory (config/, data/, logs/), which the caller creates and removes.
 *
 * <p>This is a test fixture: it binds to 127.0.0.1 only, has no security plugin, no TLS and
 * no bootstrap checks, and must never serve real data.
 */
public final class Launcher {

    private static final String CLUSTER_NAME = "opengov-ci";
    private static final String NODE_NAME = "opengov-ci-node";

    /** The modules a distribution would load from modules/, here taken from the classpath. */
    private static final List<Class<? extends Plugin>> MODULES =
            List.of(
                    Netty4Plugin.class,
                    CommonAnalysisPlugin.class,
                    PainlessPlugin.class,
                    ReindexPlugin.class,
                    MapperExtrasPlugin.class);

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        Path log4j2 = null;
        int httpPort = portFromEnv("OPENSEARCH_PORT", 9200);
        int transportPort = portFromEnv("OPENSEARCH_TRANSPORT_PORT", 9300);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length) {
                usage("missing value after " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--home" -> home = Path.of(value).toAbsolutePath();
                case "--log4j2" -> log4j2 = Path.of(value).toAbsolutePath();
                case "--http-port" -> httpPort = parsePort(arg, value);
                case "--transport-port" -> transportPort = parsePort(arg, value);
                default -> usage("unknown argument " + arg);
            }
        }
        if (home == null || log4j2 == null) {
            usage("--home and --log4j2 are required");
        }

        Path config = Files.createDirectories(home.resolve("config"));
        Path data = Files.createDirectories(home.resolve("data"));
        Path logs = Files.createDirectories(home.resolve("logs"));
        // A distribution's layout: the node looks for (empty) plugins/ and modules/ here.
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("modules"));
        Files.copy(
                log4j2, config.resolve("log4j2.properties"), StandardCopyOption.REPLACE_EXISTING);

        Settings settings =
                Settings.builder()
                        .put("cluster.name", CLUSTER_NAME)
                        .put("node.name", NODE_NAME)
                        .putList("node.roles", "cluster_manager", "data", "ingest")
                        .put("path.home", home.toString())
                        .put("path.data", data.toString())
                        .put("path.logs", logs.toString())
                        .put("network.host", "127.0.0.1")
                        .put("http.port", httpPort)
                        .put("transport.port", transportPort)
                        .put("discovery.type", "single-node")
                        // The test machine's disk may be nearly full; never refuse to allocate.
                        .put("cluster.routing.allocation.disk.threshold_enabled", false)
                        .build();

        Environment environment =
                InternalSettingsPreparer.prepareEnvironment(
                        settings, Collections.emptyMap(), config, () -> NODE_NAME);
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(NODE_NAME);
        LogConfigurator.configure(environment);

        CiNode node = new CiNode(environment, MODULES);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        node.close();
                                        node.awaitClose(20, TimeUnit.SECONDS);
                                    } catch (IOException | InterruptedException e) {
                                        e.printStackTrace();
                                    } finally {
                                        stopped.countDown();
                                    }
                                },
                                "opengov-ci-opensearch-shutdown"));
        try {
            node.start();
        } catch (Exception e) {
            e.printStackTrace();
            fail("the node failed to start", e, node);
        }
        try {
            noReplicasByDefault(node);
        } catch (Exception e) {
            e.printStackTrace();
            fail("could not set the default replica count", e, node);
        }
        System.out.println(
                "opengov-ci-opensearch: node ready on http://127.0.0.1:" + httpPort);
        stopped.await();
    }

    /**
     * One node can hold no replica, so new indices get none and cluster health stays green.
     *
     * <p>{@code cluster.default_number_of_replicas} is read from the cluster state's persistent
     * settings when an index is created; as a node setting in the settings above it is
     * accepted but ignored. It is set here, through the node's own client, before anyone can
     * create an index; ci/opensearch/start waits until it shows in {@code _cluster/settings}.
     */
    private static void noReplicasByDefault(CiNode node) {
        node.client()
                .admin()
                .cluster()
                .prepareUpdateSettings()
                .setPersistentSettings(
                        Settings.builder().put("cluster.default_number_of_replicas", 0).build())
                .get(TimeValue.timeValueSeconds(60));
    }

    /** Closes the node, then ends the JVM with a one-line reason naming the root cause. */
    private static void fail(String what, Throwable error, CiNode node) {
        try {
            node.close(); // now, so that its closing lines come before the reason
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
        }
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        System.err.println(
                "opengov-ci-opensearch: "
                        + what
                        + ": "
                        + error
                        + (cause == error ? "" : " (caused by " + cause + ")"));
        System.exit(1);
    }

    private static int portFromEnv(String name, int fallback) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return parsePort(name, value.strip());
    }

    private static int parsePort(String name, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(name + " is not a port number: " + value);
        return -1;
    }

    private static void usage(String problem) {
        System.err.println("opengov-ci-opensearch: " + problem);
        System.err.println(
                "usage: Launcher --home DIR --log4j2 FILE [--http-port N] [--transport-port N]");
        System.exit(2);
    }
}
