package dev.deedstream.stack;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts one Elasticsearch node in this JVM, for local development and CI (no Docker, no tarball).
 *
 * <p>Why not the official entry point ({@code org.elasticsearch.bootstrap.Elasticsearch})? It expects to be
 * forked by the CLI, which reads the launch arguments from stdin, refuses to run as root and installs the
 * security manager. We run as root in CI and want none of that, so we build the {@link Node} ourselves through
 * its public constructor, exactly as the bootstrap's last phase does.
 *
 * <p>Expected layout (produced by {@code stack/elasticsearch/pom.xml}): this jar in HOME, the server jars in
 * HOME/lib (on the module path, like the distribution) and one directory per module in HOME/modules, each with
 * a plugin-descriptor.properties. Elasticsearch's own PluginsLoader loads those modules in their own module
 * layers, which is why the server must be on the module path: the netty module {@code requires} it.
 *
 * <p>Run:
 * <pre>
 * java -Xms1g -Xmx1g --module-path HOME/lib --add-modules ALL-MODULE-PATH \
 *      -jar HOME/deedstream-elasticsearch.jar --data-dir=/var/es/data --logs-dir=/var/es/logs \
 *      [--http-port=9200] [--transport-port=9300] [--cluster-name=deedstream] [-Esome.setting=value ...]
 * </pre>
 * Every {@code --name=value} option may instead be given as a system property {@code -Ddeedstream.es.name=value}.
 */
public final class ElasticsearchLauncher {

    private ElasticsearchLauncher() {}

    public static void main(String[] args) throws Exception {
        // Elasticsearch closes log4j itself when the node stops; log4j's own hook would silence the shutdown logs.
        System.setProperty("log4j.shutdownHookEnabled", "false");
        System.setProperty("log4j2.disable.jmx", "true");
        // Same netty settings as the distribution's jvm.options (no Unsafe tricks, no per-thread object pools).
        System.setProperty("io.netty.noUnsafe", "true");
        System.setProperty("io.netty.noKeySetOptimization", "true");
        System.setProperty("io.netty.recycler.maxCapacityPerThread", "0");

        Settings.Builder extra = Settings.builder();
        Map<String, String> options = new java.util.HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("-E") && arg.contains("=")) { // same syntax as the elasticsearch CLI
                int eq = arg.indexOf('=');
                extra.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (arg.startsWith("--") && arg.contains("=")) {
                int eq = arg.indexOf('=');
                options.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else {
                throw new IllegalArgumentException("unknown argument [" + arg + "], expected --name=value or -Ekey=value");
            }
        }

        Path home = Path.of(option(options, "home", launcherJarDir().toString())).toAbsolutePath();
        Path dataDir = Path.of(option(options, "data-dir", home.resolve("data").toString())).toAbsolutePath();
        Path logsDir = Path.of(option(options, "logs-dir", home.resolve("logs").toString())).toAbsolutePath();
        String clusterName = option(options, "cluster-name", "deedstream");
        String nodeName = option(options, "node-name", "deedstream-es");
        Files.createDirectories(dataDir);
        Files.createDirectories(logsDir);
        // HOME/config holds log4j2.properties; settings all come from here, though an elasticsearch.yml there is honoured.
        Path configDir = Files.createDirectories(home.resolve("config"));

        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", dataDir.toString())
            .put("path.logs", logsDir.toString())
            .put("cluster.name", clusterName)
            .put("node.name", nodeName)
            // Loopback only: nothing outside this machine should reach an unauthenticated node. Binding to
            // loopback also keeps the production bootstrap checks (vm.max_map_count, file descriptors) advisory.
            .put("network.host", "127.0.0.1")
            .put("http.port", option(options, "http-port", "9200"))
            .put("transport.port", option(options, "transport-port", "9300"))
            // One node, no cluster formation, no waiting for other masters.
            .put("discovery.type", "single-node")
            // CI disks are often >90% full; with watermarks on, shards would go read-only or stay unassigned.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            // Tests clean up with wildcard index deletes (DELETE /deedstream-test-*); 8.x refuses those by default.
            .put("action.destructive_requires_name", false)
            .put(extra.build())
            .build();

        // Logging first: Elasticsearch code must not log before its log4j setup is in place.
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(nodeName);
        LogConfigurator.setClusterName(clusterName);
        LogConfigurator.configureESLogging();

        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), configDir, () -> nodeName);
        // Reads HOME/config/log4j2.properties (console + LOGS_DIR/<cluster>.log); true = keep the console appender.
        LogConfigurator.configure(environment, true);

        // Modules from HOME/modules (netty HTTP, deedstream-compat), no third-party plugins. The empty map lists
        // plugins granted native access under entitlements, which the official bootstrap enables only on Java 24+.
        PluginsLoader pluginsLoader = PluginsLoader.createPluginsLoader(
            PluginsLoader.loadModulesBundles(environment.modulesDir()),
            Set.of(),
            Map.of()
        );

        Node node = new Node(environment, pluginsLoader);

        // SIGTERM/SIGINT: stop accepting requests, then close the node, which flushes and closes every shard
        // cleanly so the next start finds the data (translog replay would recover it anyway, this is faster).
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                if (node.awaitClose(30, TimeUnit.SECONDS) == false) {
                    System.err.println("elasticsearch node did not stop within 30s");
                }
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
                org.apache.logging.log4j.LogManager.shutdown();
            }
        }, "deedstream-es-shutdown"));

        try {
            node.start();
        } catch (Exception e) { // e.g. port already in use: exit non-zero instead of lingering half-started
            e.printStackTrace();
            System.exit(1); // runs the shutdown hook, which closes what did start
        }
        // Keep a non-daemon thread alive until shutdown (the node's own threads may all be daemons).
        stopped.await();
    }

    private static String option(Map<String, String> options, String name, String defaultValue) {
        String value = options.get(name);
        if (value == null) {
            value = System.getProperty("deedstream.es." + name);
        }
        return value == null || value.isBlank() ? defaultValue : value;
    }

    /** HOME is where the build put this jar, next to lib/ and modules/. */
    private static Path launcherJarDir() throws URISyntaxException {
        Path location = Path.of(ElasticsearchLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return Files.isDirectory(location) ? location : location.getParent();
    }
}
