package dev.muelle.engine.runtime;

import dev.muelle.engine.errors.EngineException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --device-cgroup-rule} in the cgroup devices syntax: {@code TYPE MAJOR:MINOR ACCESS},
 * e.g. {@code c 1:3 rwm} or {@code b *:* m}; a null major or minor is the {@code *} wildcard.
 */
public record DeviceCgroupRule(String type, Integer major, Integer minor, String access) {

    /** Docker's deviceCgroupRuleRegex. */
    private static final Pattern RULE = Pattern.compile("^([acb]) ([0-9]+|\\*):([0-9]+|\\*) ([rwm]{1,3})$");

    /** @throws EngineException.InvalidParameter with Docker's wording for a malformed rule */
    public static DeviceCgroupRule parse(String rule) {
        Matcher m = RULE.matcher(rule == null ? "" : rule);
        if (!m.matches()) {
            throw new EngineException.InvalidParameter("invalid device cgroup format '" + rule + "'");
        }
        return new DeviceCgroupRule(m.group(1), number(m.group(2)), number(m.group(3)), m.group(4));
    }

    private static Integer number(String s) {
        return s.equals("*") ? null : Integer.valueOf(s);
    }
}
