package dev.muelle.engine.container;

import dev.muelle.engine.errors.EngineException;

import java.util.Map;

/** Signal names as Docker accepts them ("SIGTERM", "TERM", "15") to numbers for linux/amd64. */
final class Signals {

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8),
            Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12),
            Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("STKFLT", 16),
            Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20),
            Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28),
            Map.entry("IO", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    static final int SIGTERM = 15;
    static final int SIGKILL = 9;

    private Signals() {
    }

    static int parse(String s, int dflt) {
        if (s == null || s.isBlank()) {
            return dflt;
        }
        String v = s.trim().toUpperCase();
        if (v.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(v);
            if (n <= 0 || n > 64) {
                throw new EngineException.InvalidParameter("Invalid signal: " + s);
            }
            return n;
        }
        if (v.startsWith("SIG")) {
            v = v.substring(3);
        }
        if (v.startsWith("RTMIN") || v.startsWith("RTMAX")) {
            throw new EngineException.InvalidParameter("Invalid signal: " + s);
        }
        Integer n = NUMBERS.get(v);
        if (n == null) {
            throw new EngineException.InvalidParameter("Invalid signal: " + s);
        }
        return n;
    }
}
