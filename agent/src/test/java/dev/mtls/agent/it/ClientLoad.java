package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.itapps.LoadClientApp;
import dev.mtls.testing.ChildJvm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@link LoadClientApp} running in a child JVM, and what its calls saw. Threads are named
 * {@code caller-<n>} after the target's position; each target belongs to a group (the host it
 * calls), and the assertions are per group: all of a group's threads must see the same
 * certificate at the same time.
 */
final class ClientLoad implements AutoCloseable {
    private static final long WAIT_MILLIS = 60_000;

    private final ChildJvm.Running child;
    private final Map<String, String> groupOfThread;

    private ClientLoad(ChildJvm.Running child, Map<String, String> groupOfThread) {
        this.child = child;
        this.groupOfThread = groupOfThread;
    }

    /** One calling thread: its style ("context" or "urlconnection"), its URL, and the group it counts in. */
    static final class Target {
        final String style;
        final String url;
        final String group;

        Target(String style, String url, String group) {
            this.style = style;
            this.url = url;
            this.group = group;
        }
    }

    static ClientLoad start(ChildJvm jvm, long pauseMillis, List<Target> targets) throws IOException {
        List<String> arguments = new ArrayList<>();
        arguments.add(Long.toString(pauseMillis));
        Map<String, String> groups = new LinkedHashMap<>();
        for (Target target : targets) {
            groups.put("caller-" + groups.size(), target.group);
            arguments.add(target.style + "@" + target.url);
        }
        // A new connection per call for HttpsURLConnection too, so that every call is a handshake.
        ChildJvm.Running child = jvm.jvmArgument("-Dhttp.keepAlive=false")
                .start(LoadClientApp.class, arguments.toArray(new String[0]));
        return new ClientLoad(child, groups);
    }

    /**
     * Waits until every thread has made {@code count} successful calls that resumed a session, so
     * that the sessions a rotation must not let live on are there.
     */
    void awaitResumedCalls(int count) throws IOException, InterruptedException {
        awaitEveryThread("resumed calls", call -> call.ok && call.resumed, count);
    }

    /** Waits until every thread has made {@code count} calls that started after {@code millis}. */
    void awaitCallsStartedAfter(long millis, int count) throws IOException, InterruptedException {
        awaitEveryThread("calls after " + millis, call -> call.start > millis, count);
    }

    private void awaitEveryThread(String what, Predicate<Call> predicate, int count)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (true) {
            Map<String, Long> counts = calls(child.stdout()).stream().filter(predicate)
                    .collect(Collectors.groupingBy(call -> call.thread, Collectors.counting()));
            if (groupOfThread.keySet().stream().allMatch(thread -> counts.getOrDefault(thread, 0L) >= count)) {
                return;
            }
            if (!child.process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("not every thread made " + count + " " + what + " (" + counts + "):\n"
                        + child.stdout() + "\n--- stderr\n" + child.stderr());
            }
            Thread.sleep(100);
        }
    }

    /** Current stderr of the child, while it runs. */
    String stderr() throws IOException {
        return child.stderr();
    }

    /** Tells the application to stop and waits for it: every thread must end. */
    Calls stop() throws IOException, InterruptedException {
        child.send("stop");
        ChildJvm.Result result = child.finish();
        List<String> stuck = result.stdout.lines().filter(line -> line.startsWith("stuck ")).collect(Collectors.toList());
        assertEquals(List.of(), stuck, "threads left stuck:\n" + result);
        assertTrue(result.stdout.contains("finished " + groupOfThread.size() + "\n"), result.toString());
        assertEquals(0, result.exitCode, result.toString());
        return new Calls(calls(result.stdout), groupOfThread, result);
    }

    @Override
    public void close() throws IOException {
        child.close();
    }

    private static List<Call> calls(String stdout) {
        return stdout.lines().filter(line -> line.startsWith("call ")).map(Call::parse).collect(Collectors.toList());
    }

    /** One line of {@link LoadClientApp}. */
    static final class Call {
        final String line;
        final String thread;
        final long start;
        final boolean ok;
        final boolean resumed;
        final String protocol;
        /** What the server received: "subject;serial" or "none"; null for a failed call. */
        final String seen;

        private Call(String line, String thread, long start, boolean ok, boolean resumed, String protocol, String seen) {
            this.line = line;
            this.thread = thread;
            this.start = start;
            this.ok = ok;
            this.resumed = resumed;
            this.protocol = protocol;
            this.seen = seen;
        }

        static Call parse(String line) {
            // call THREAD START END ok resumed|full PROTOCOL STATUS BODY | call THREAD START END failed ...
            String[] fields = line.split(" ", 9);
            boolean ok = fields[4].equals("ok") && fields[7].equals("200");
            return new Call(line, fields[1], Long.parseLong(fields[2]), ok, ok && fields[5].equals("resumed"),
                    ok ? fields[6] : null, ok ? fields[8] : null);
        }

        @Override
        public String toString() {
            return line;
        }
    }

    /** Every call of a finished run. */
    static final class Calls {
        final List<Call> all;
        private final Map<String, String> groupOfThread;
        final ChildJvm.Result result;

        Calls(List<Call> all, Map<String, String> groupOfThread, ChildJvm.Result result) {
            this.all = all;
            this.groupOfThread = groupOfThread;
            this.result = result;
        }

        List<Call> ofGroup(String group) {
            return all.stream().filter(call -> group.equals(groupOfThread.get(call.thread)))
                    .collect(Collectors.toList());
        }

        Set<String> threadsOf(String group) {
            return groupOfThread.entrySet().stream().filter(entry -> entry.getValue().equals(group))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
        }

        /** No call failed, ever. */
        void assertNoFailure() {
            List<Call> failed = all.stream().filter(call -> !call.ok).collect(Collectors.toList());
            assertEquals(List.of(), failed, "calls failed");
        }

        /** Every thread of the group resumed sessions in {@code [from, to)}: the cache was in play. */
        void assertResumedBy(String group, long from, long to, String when) {
            for (String thread : threadsOf(group)) {
                assertTrue(all.stream().anyMatch(call -> call.thread.equals(thread) && call.resumed
                        && call.start >= from && call.start < to), thread + " resumed no session " + when);
            }
        }

        List<String> protocolsOf(String group) {
            return ofGroup(group).stream().map(call -> call.protocol).distinct().sorted().collect(Collectors.toList());
        }
    }
}
