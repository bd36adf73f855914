package dev.mtls.examples.demo;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An unmodified "bot runtime": it calls a backend API through several HTTP clients and knows nothing
 * about client certificates. It trusts the backend's CA the standard way
 * ({@code -Djavax.net.ssl.trustStore=…}) and configures no key material; whether a certificate is
 * presented is up to the mtls agent.
 *
 * <p>Usage: {@code BotRuntime URL [--rounds N]}. Without {@code --rounds}: one call per client and one
 * line each, {@code HttpClient           -> 200 hello CN=bot-client,O=mtls-demo}. With it: a round of
 * calls every second, N times, one line per round, and a closing count. {@code --server} adds the
 * server certificate each client received to the round lines
 * ({@code CN=bot-client,O=mtls-demo | server CN=demo-backend,O=mtls-demo}) and to the count. The
 * exit status is 1 when any call failed.
 */
public final class BotRuntime {
    private static final long ROUND_MILLIS = 1_000;

    private BotRuntime() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = null;
        int rounds = 0;
        boolean showServer = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--server")) {
                showServer = true;
            } else if (uri == null && !args[i].startsWith("--")) {
                uri = URI.create(args[i]);
            } else {
                uri = null;
                break;
            }
        }
        if (uri == null) {
            System.err.println("usage: BotRuntime URL [--rounds N [--server]]");
            System.exit(2);
        }
        List<ApiClient> clients = List.of(new JdkHttpClient(), new UrlConnectionClient(), new OkHttpApiClient(),
                new ApacheApiClient());
        boolean allOk;
        try {
            allOk = rounds == 0 ? once(clients, uri) : loop(clients, uri, rounds, showServer);
        } finally {
            for (ApiClient client : clients) {
                client.close();
            }
        }
        System.exit(allOk ? 0 : 1);
    }

    private static boolean once(List<ApiClient> clients, URI uri) {
        boolean allOk = true;
        for (ApiClient client : clients) {
            Call call = Call.make(client, uri);
            System.out.printf("%-20s-> %s%n", client.name(), call.outcome());
            allOk &= call.ok();
        }
        return allOk;
    }

    private static boolean loop(List<ApiClient> clients, URI uri, int rounds, boolean showServer)
            throws InterruptedException {
        int calls = 0;
        int failed = 0;
        Set<String> subjects = new LinkedHashSet<>();
        Set<String> servers = new LinkedHashSet<>();
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            // subject (and server certificate) -> the clients that saw it, in client order
            Map<String, List<String>> seen = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            for (ApiClient client : clients) {
                Call call = Call.make(client, uri);
                calls++;
                if (call.ok()) {
                    String key = showServer ? call.subject() + " | server " + call.server() : call.subject();
                    seen.computeIfAbsent(key, s -> new ArrayList<>()).add(client.name());
                    subjects.add(call.subject());
                    servers.add(call.server());
                } else {
                    failed++;
                    failures.add(client.name() + " " + call.outcome());
                }
            }
            System.out.printf("round %2d  %d/%d ok  %s%n", round, clients.size() - failures.size(), clients.size(),
                    describe(seen, failures));
            long rest = ROUND_MILLIS - (System.nanoTime() - start) / 1_000_000;
            if (round < rounds && rest > 0) {
                Thread.sleep(rest);
            }
        }
        System.out.printf("%d calls, %d failed; the backend saw %s%s%n", calls, failed, String.join(", then ", subjects),
                showServer ? "; the bot saw server certificates " + String.join(", then ", servers) : "");
        return failed == 0;
    }

    private static String describe(Map<String, List<String>> seen, List<String> failures) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<String>> subject : seen.entrySet()) {
            parts.add(seen.size() == 1 && failures.isEmpty()
                    ? subject.getKey()
                    : subject.getKey() + " (" + String.join(", ", subject.getValue()) + ")");
        }
        parts.addAll(failures);
        return String.join("; ", parts);
    }
}
