package dev.muelle.engine.image;

import dev.muelle.engine.errors.EngineException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A normalised Docker image reference: {@code busybox} is {@code docker.io/library/busybox},
 * {@code localhost:5000/app:v1} keeps its registry. Parsing follows the grammar and wording of
 * {@code github.com/distribution/reference} ({@code ParseNormalizedNamed}), so error messages match
 * dockerd's.
 *
 * <p>Invariants: {@code domain} and {@code path} are never empty; {@code tag} and {@code digest}
 * may each be {@code null} (a bare name); {@code digest} is {@code sha256:<hex>} when present.
 */
public record ImageReference(String domain, String path, String tag, Digest digest) {

    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_REPO_PREFIX = "library/";
    private static final int NAME_TOTAL_LENGTH_MAX = 255;

    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
            + "|\\[(?:[a-fA-F0-9:]+)\\])";
    private static final String DOMAIN_AND_PORT = HOST + "(?::[0-9]+)?";
    private static final String NAME = "(?:" + DOMAIN_AND_PORT + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final Pattern TAG_ONLY = Pattern.compile(TAG);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");

    public ImageReference {
        if (domain == null || domain.isEmpty() || path == null || path.isEmpty()) {
            throw new EngineException.InvalidParameter("repository name must have at least one component");
        }
    }

    /**
     * Parses a reference the way the docker CLI and dockerd do: a missing registry means Docker
     * Hub, a single-component Docker Hub name lives under {@code library/}. No tag is added.
     */
    public static ImageReference parse(String s) {
        if (s == null || s.isEmpty()) {
            throw invalid("invalid reference format");
        }
        if (IDENTIFIER.matcher(s).matches()) {
            throw invalid("invalid repository name (" + s + "), cannot specify 64-byte hexadecimal strings");
        }
        int slash = s.indexOf('/');
        String domain;
        String remainder;
        if (slash == -1 || (!containsAny(s.substring(0, slash), ".:") && !s.startsWith("localhost/")
                && s.substring(0, slash).toLowerCase(Locale.ROOT).equals(s.substring(0, slash)))) {
            domain = DEFAULT_DOMAIN;
            remainder = s;
        } else {
            domain = s.substring(0, slash);
            remainder = s.substring(slash + 1);
        }
        if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && remainder.indexOf('/') == -1) {
            remainder = OFFICIAL_REPO_PREFIX + remainder;
        }
        int colon = remainder.indexOf(':');
        String remoteName = colon == -1 ? remainder : remainder.substring(0, colon);
        if (!remoteName.toLowerCase(Locale.ROOT).equals(remoteName)) {
            throw invalid("invalid reference format: repository name (" + remoteName + ") must be lowercase");
        }
        String full = domain + "/" + remainder;
        Matcher m = REFERENCE.matcher(full);
        if (!m.matches()) {
            throw invalid("invalid reference format");
        }
        String name = m.group(1);
        if (name.length() > NAME_TOTAL_LENGTH_MAX) {
            throw invalid("invalid reference format: repository name must not be more than 255 characters");
        }
        Digest digest = null;
        if (m.group(3) != null) {
            if (!m.group(3).startsWith("sha256:") || m.group(3).length() != 7 + 64) {
                throw invalid("invalid reference format: unsupported digest " + m.group(3));
            }
            digest = Digest.parse(m.group(3).toLowerCase(Locale.ROOT));
        }
        return new ImageReference(domain, name.substring(domain.length() + 1), m.group(2), digest);
    }

    /** {@code repo} plus an explicit tag (empty: {@code latest}), as {@code POST /images/{name}/tag} takes them. */
    public static ImageReference ofTag(String repo, String tag) {
        ImageReference named = parse(repo);
        if (named.digest != null) {
            throw invalid("refusing to create a tag with a digest reference");
        }
        if (tag == null || tag.isEmpty()) {
            return named.tag == null ? named.withDefaultTag() : named;
        }
        if (!TAG_ONLY.matcher(tag).matches()) {
            throw invalid("invalid tag format");
        }
        return new ImageReference(named.domain, named.path, tag, null);
    }

    /** This reference with {@code :latest} added when it names neither tag nor digest. */
    public ImageReference withDefaultTag() {
        return tag == null && digest == null ? new ImageReference(domain, path, DEFAULT_TAG, null) : this;
    }

    /** The repository without tag or digest: {@code docker.io/library/busybox}. */
    public String name() {
        return domain + "/" + path;
    }

    /** The repository as users write it: {@code busybox}, {@code localhost:5000/app}. */
    public String familiarName() {
        if (!domain.equals(DEFAULT_DOMAIN)) {
            return name();
        }
        if (path.startsWith(OFFICIAL_REPO_PREFIX) && path.indexOf('/', OFFICIAL_REPO_PREFIX.length()) == -1) {
            return path.substring(OFFICIAL_REPO_PREFIX.length());
        }
        return path;
    }

    /** What Docker shows in RepoTags/RepoDigests: {@code busybox:latest}, {@code app@sha256:…}. */
    public String familiarString() {
        return familiarName() + suffix();
    }

    /** The canonical, fully qualified form, used as the key in the metadata store. */
    @Override
    public String toString() {
        return name() + suffix();
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    private static boolean containsAny(String s, String chars) {
        return s.chars().anyMatch(c -> chars.indexOf(c) >= 0);
    }

    private static EngineException.InvalidParameter invalid(String message) {
        return new EngineException.InvalidParameter(message);
    }
}
