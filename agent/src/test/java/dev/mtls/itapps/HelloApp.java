package dev.mtls.itapps;

/** An application that does no TLS at all: whatever the agent does, it must run and say hello. */
public final class HelloApp {
    private HelloApp() {
    }

    public static void main(String[] args) {
        System.out.println("hello from the application");
    }
}
