package dev.mtls.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.testing.TestCertificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Listeners go through the one load path: rotated, kept when they break, removed, logged like profiles. */
class ListenerReloadTest extends WatchedFolderTest {
    static final TestCertificate SERVER_1 = server("api-1");
    static final TestCertificate SERVER_2 = server("api-2");
    static final TestCertificate OTHER = server("other");


    @Test
    void rotatingAListenersServerCertificatePublishesANewGeneration() {
        files.identity("api", SERVER_1).writeText(listeners(listener("api", 8443)));
        watcher.reloadNow();
        ProfileSnapshot before = target.current();
        assertThat(leaf(before, 8443)).isEqualTo(SERVER_1.certificate());

        files.identity("api", SERVER_2);
        ReloadOutcome outcome = watcher.reloadNow();

        assertThat(outcome.kind()).isEqualTo(ReloadOutcome.Kind.RELOADED);
        ProfileSnapshot after = target.current();
        assertThat(after.generation()).isGreaterThan(before.generation());
        assertThat(leaf(after, 8443)).isEqualTo(SERVER_2.certificate());
        assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                .contains("added [], changed [], removed []; listeners added [], changed [api], removed []"));
    }

    @Test
    void anUnchangedListenerIsTakenOverWithoutLoadingItAgain() {
        files.identity("api", SERVER_1).identity("other", OTHER)
                .writeText(listeners(listener("api", 8443) + listener("other", 9443)));
        watcher.reloadNow();
        LoadedListener api = target.current().listener("api").orElseThrow();

        files.identity("other", SERVER_2);
        assertThat(watcher.reloadNow().kind()).isEqualTo(ReloadOutcome.Kind.RELOADED);

        assertThat(target.current().listener("api").orElseThrow()).isSameAs(api);
        assertThat(leaf(target.current(), 9443)).isEqualTo(SERVER_2.certificate());
    }

    @Test
    void aListenerThatBreaksKeepsItsLastGoodVersion() {
        files.identity("api", SERVER_1).identity("other", OTHER)
                .writeText(listeners(listener("api", 8443) + listener("other", 9443)));
        watcher.reloadNow();

        files.writeText(listeners("  - name: api\n    ports: [8443]\n"
                + "    identity: {certificate: api.pem, key: missing.key}\n" + listener("other", 9443)));
        watcher.reloadNow();

        LoadedListener api = target.current().listenerForPort(8443).orElseThrow();
        assertThat(api.isUsable()).isTrue();
        assertThat(api.identity().orElseThrow().leaf()).isEqualTo(SERVER_1.certificate());
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("ERROR " + files.profiles)
                .contains("listener 'api': ").contains("missing.key"));
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).isEqualTo("WARNING " + files.profiles
                + ": listener 'api': keeping its previous version until the error is fixed"));
    }

    @Test
    void aListenerWhoseTextNoLongerReadsAtAllKeepsItsLastGoodVersion() {
        files.identity("api", SERVER_1).writeText(listeners(listener("api", 8443)));
        watcher.reloadNow();

        files.writeText(listeners("  - name: api\n    ports: [https]\n"));
        watcher.reloadNow();

        assertThat(leaf(target.current(), 8443)).isEqualTo(SERVER_1.certificate());
    }

    @Test
    void aKeptListenerGivesUpThePortsAListenerOfTheCurrentFileClaims() {
        files.identity("api", SERVER_1).identity("other", OTHER)
                .writeText(listeners("  - name: api\n    ports: [8443, 8444]\n"
                        + "    identity: {certificate: api.pem, key: api.key}\n"));
        watcher.reloadNow();

        files.writeText(listeners(listener("other", 8443) + "  - name: api\n    ports: [8443, 8444]\n"
                + "    identity: {certificate: api.pem, key: missing.key}\n"));
        watcher.reloadNow();

        assertThat(target.current().listenerForPort(8443).orElseThrow().name()).isEqualTo("other");
        LoadedListener kept = target.current().listenerForPort(8444).orElseThrow();
        assertThat(kept.name()).isEqualTo("api");
        assertThat(kept.isUsable()).isTrue();
        assertThat(kept.ports()).containsExactly(8444);
        assertThat(log.lines()).contains("WARNING " + files.profiles + ": listener 'api': keeping its previous"
                + " version until the error is fixed; ports taken over by other listeners: 8443 (now listener"
                + " 'other')");
    }

    @Test
    void aKeptListenerLeftWithoutPortsIsDropped() {
        files.identity("api", SERVER_1).identity("other", OTHER).writeText(listeners(listener("api", 8443)));
        watcher.reloadNow();

        files.writeText(listeners(listener("other", 8443) + "  - name: api\n    ports: [8443]\n"
                + "    identity: {certificate: api.pem, key: missing.key}\n"));
        watcher.reloadNow();

        assertThat(target.current().listeners()).extracting(LoadedListener::name).containsExactly("other");
        assertThat(log.lines()).contains("WARNING " + files.profiles + ": listener 'api': its previous version is"
                + " dropped as well: every port it had now belongs to another listener: 8443 (now listener 'other')");
    }

    @Test
    void aRemovedListenerGoesAndIsLogged() {
        files.identity("api", SERVER_1).identity("other", OTHER)
                .writeText(listeners(listener("api", 8443) + listener("other", 9443)));
        watcher.reloadNow();

        files.writeText(listeners(listener("other", 9443)));
        watcher.reloadNow();

        assertThat(target.current().listener("api")).isEmpty();
        assertThat(target.current().listenerForPort(8443)).isEmpty();
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("listeners added [], changed [],"
                + " removed [api]"));
    }

    @Test
    void aProfileOfTheSameNameIsNotAffectedByItsListenerBreaking() {
        TestCertificate client = ProfileFiles.client("api-client");
        files.identity("api", SERVER_1).identity("client", client)
                .writeText("version: 1\nprofiles:\n  - name: api\n    hosts: [api.internal]\n"
                        + "    identity: {certificate: client.pem, key: client.key}\n"
                        + listeners(listener("api", 8443)).substring("version: 1\n".length()));
        watcher.reloadNow();

        files.identity("client", ProfileFiles.client("api-client-2"));
        files.writeText("version: 1\nprofiles:\n  - name: api\n    hosts: [api.internal]\n"
                + "    identity: {certificate: client.pem, key: client.key}\n"
                + "listeners:\n  - name: api\n    ports: [8443]\n"
                + "    identity: {certificate: api.pem, key: none.key}\n");
        watcher.reloadNow();

        X509Certificate profileLeaf = target.current().profile("api").orElseThrow().identity().orElseThrow().leaf();
        assertThat(profileLeaf.getSubjectX500Principal().getName()).isEqualTo("CN=api-client-2");
        assertThat(leaf(target.current(), 8443)).isEqualTo(SERVER_1.certificate());
    }

    @Test
    void warnsOnceOfAServerCertificateCloseToExpiry() {
        Instant now = Instant.now();
        TestCertificate expiring = ProfileFiles.CA.issue("expiring").serverAuth()
                .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(2))).create();
        files.identity("api", expiring).writeText(listeners(listener("api", 8443)));

        watcher.reloadNow();
        watcher.reloadNow();

        assertThat(log.lines()).filteredOn(line -> line.startsWith("WARNING " + files.profiles + ": listener 'api':"
                + " certificate CN=expiring expires on ") && line.endsWith("; replace it before then")).hasSize(1);
    }

    @Test
    void theStartLineCountsListenersBesideProfiles() {
        files.identity("api", SERVER_1).identity("other", OTHER)
                .writeText(listeners(listener("api", 8443) + listener("other", 9443)));
        ProfileService service = ProfileService.create(WatchSettings.of(files.profiles).reloadOption(Duration.ZERO)
                .target(target).log(log), "");

        service.load();
        service.report();

        assertThat(log.lines()).contains("INFO 0 profiles and 2 listeners from " + files.profiles);
        service.watcher().close();
    }

    private static TestCertificate server(String commonName) {
        return ProfileFiles.CA.issue(commonName).serverAuth().create();
    }

    private static String listener(String name, int port) {
        return "  - name: " + name + "\n    ports: [" + port + "]\n"
                + "    identity: {certificate: " + name + ".pem, key: " + name + ".key}\n";
    }

    private static String listeners(String entries) {
        return "version: 1\nlisteners:\n" + entries;
    }

    private static X509Certificate leaf(ProfileSnapshot snapshot, int port) {
        return snapshot.listenerForPort(port).orElseThrow().identity().orElseThrow().leaf();
    }
}
