package dev.muelle.engine.container;

import java.security.SecureRandom;
import java.util.List;

/** Docker-style random names ("adjective_scientist") for containers created without --name. */
final class NameGenerator {

    private static final List<String> LEFT = List.of("admiring", "agitated", "amazing", "bold", "brave",
            "busy", "clever", "cool", "dazzling", "eager", "ecstatic", "elegant", "epic", "festive", "focused",
            "gallant", "gifted", "happy", "hopeful", "jolly", "keen", "kind", "laughing", "lucid", "modest",
            "nifty", "optimistic", "peaceful", "quirky", "relaxed", "serene", "sharp", "stoic", "tender",
            "trusting", "upbeat", "vibrant", "wizardly", "youthful", "zealous");
    private static final List<String> RIGHT = List.of("albattani", "babbage", "bell", "curie", "darwin",
            "einstein", "euclid", "fermi", "feynman", "galileo", "goldberg", "hopper", "hypatia", "johnson",
            "kepler", "lamport", "lovelace", "meitner", "newton", "noether", "pascal", "ritchie", "shannon",
            "thompson", "turing", "wozniak", "yonath");
    private static final SecureRandom RANDOM = new SecureRandom();

    private NameGenerator() {
    }

    static String next(int attempt) {
        String name = LEFT.get(RANDOM.nextInt(LEFT.size())) + "_" + RIGHT.get(RANDOM.nextInt(RIGHT.size()));
        return attempt > 0 ? name + RANDOM.nextInt(10) : name;
    }
}
