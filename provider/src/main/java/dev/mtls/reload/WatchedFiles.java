package dev.mtls.reload;

import dev.mtls.files.BoundedReads;
import dev.mtls.profile.IdentitySpec;
import dev.mtls.profile.ListenerDefinition;
import dev.mtls.profile.ProfileDefinition;
import dev.mtls.profile.ProfileDocument;
import dev.mtls.profile.TrustSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files whose content decides a snapshot: the profile file, every certificate, key and
 * keystore its profiles and listeners name, and every {@code ${file:…}} secret file it refers to. Paths are kept
 * as configured (not resolved): the fingerprint follows symbolic links afresh on every tick.
 */
final class WatchedFiles {
    /**
     * Secret references are found in the profile file's raw text rather than taken from the parser,
     * which does not report them. This over-approximates (a {@code $${file:x}} escape or a
     * commented-out line adds a file to watch), which costs a stat per tick and nothing else.
     */
    private static final Pattern FILE_REFERENCE = Pattern.compile("\\$\\{file:([^}]+)}");
    private static final int MAX_PROFILE_BYTES = 4 * 1024 * 1024;

    private WatchedFiles() {
    }

    /**
     * @param base the folder relative paths resolve against, as given to the loader; null for the
     *     profile file's own folder
     */
    static List<Path> of(Path profileFile, Path base, ProfileDocument document) {
        Set<Path> files = new LinkedHashSet<>();
        files.add(profileFile);
        for (ProfileDefinition definition : document.profiles()) {
            addIdentity(files, definition.identity());
            addTrust(files, definition.trust());
        }
        for (ListenerDefinition definition : document.listeners()) {
            addIdentity(files, definition.identity());
            addTrust(files, definition.trust());
        }
        files.addAll(secretFiles(profileFile, base));
        return List.copyOf(files);
    }

    /** The key-material files one profile names. */
    static List<Path> of(ProfileDefinition definition) {
        return material(definition.identity(), definition.trust());
    }

    /** The key-material files one listener names. */
    static List<Path> of(ListenerDefinition definition) {
        return material(definition.identity(), definition.trust());
    }

    private static List<Path> material(IdentitySpec identity, TrustSpec trust) {
        Set<Path> files = new LinkedHashSet<>();
        addIdentity(files, identity);
        addTrust(files, trust);
        return List.copyOf(files);
    }

    /** When the file did not parse: what was watched before, and the profile file itself. */
    static List<Path> afterFileError(Path profileFile, Collection<Path> watched) {
        Set<Path> files = new LinkedHashSet<>();
        files.add(profileFile);
        files.addAll(watched);
        return List.copyOf(files);
    }

    private static void addIdentity(Set<Path> files, IdentitySpec identity) {
        if (identity == null) {
            return;
        }
        if (identity.isPkcs11()) {
            // The token's objects, compared as a file's content is (see TokenSources).
            files.add(TokenSources.watch(identity.pkcs11()));
            if (identity.certificate() != null) {
                files.add(identity.certificate());
            }
        } else if (identity.isKeyStore()) {
            files.add(identity.keyStore());
        } else {
            files.add(identity.certificate());
            files.add(identity.key());
        }
    }

    private static void addTrust(Set<Path> files, TrustSpec trust) {
        if (trust == null) {
            return;
        }
        if (!trust.isApplicationTrust()) {
            files.add(trust.isKeyStore() ? trust.keyStore() : trust.certificates());
        }
        if (trust.revocation() != null) {
            files.addAll(trust.revocation().crls());
        }
    }

    /** Resolved as SecretResolver does: against the base folder, else the profile file's folder. */
    static List<Path> secretFiles(Path profileFile, Path base) {
        String text;
        try {
            text = new String(BoundedReads.shared().head(profileFile, MAX_PROFILE_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
        if (!text.contains("${file:")) {
            return List.of();
        }
        Path folder = (base != null ? base : profileFile.toAbsolutePath().getParent()).toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        Matcher matcher = FILE_REFERENCE.matcher(text);
        while (matcher.find()) {
            try {
                files.add(folder.resolve(matcher.group(1)).normalize());
            } catch (InvalidPathException e) {
                // The loader reports it; nothing to watch.
            }
        }
        return files;
    }
}
