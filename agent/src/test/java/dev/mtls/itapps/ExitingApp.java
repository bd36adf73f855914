package dev.mtls.itapps;

/** An application that ends itself with System.exit as soon as it starts, as many command-line tools do. */
public final class ExitingApp {
    private ExitingApp() {
    }

    public static void main(String[] args) {
        System.out.println("exiting at once");
        System.exit(0);
    }
}
