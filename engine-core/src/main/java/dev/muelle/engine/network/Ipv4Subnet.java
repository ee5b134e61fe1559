package dev.muelle.engine.network;

import dev.muelle.engine.errors.EngineException;

/**
 * An IPv4 network in CIDR form, e.g. {@code 172.18.0.0/16}. Invariant: the host bits of
 * {@code base} are zero, so two equal subnets are equal records.
 */
public record Ipv4Subnet(int base, int prefix) {

    public Ipv4Subnet {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix " + prefix);
        }
        base = base & mask(prefix);
    }

    /** Parses {@code a.b.c.d/n}; Docker's wording when the text is not a CIDR. */
    public static Ipv4Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new EngineException.InvalidParameter("invalid CIDR address: " + cidr);
        }
        try {
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            if (prefix < 0 || prefix > 32) {
                throw new EngineException.InvalidParameter("invalid CIDR address: " + cidr);
            }
            return new Ipv4Subnet(address(cidr.substring(0, slash)), prefix);
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidParameter("invalid CIDR address: " + cidr);
        }
    }

    /** Parses a dotted-quad address to its 32 bits. */
    public static int address(String dotted) {
        String[] parts = dotted.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new EngineException.InvalidParameter("invalid IP address: " + dotted);
        }
        int a = 0;
        for (String p : parts) {
            int v;
            try {
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new EngineException.InvalidParameter("invalid IP address: " + dotted);
            }
            if (v < 0 || v > 255 || p.isEmpty()) {
                throw new EngineException.InvalidParameter("invalid IP address: " + dotted);
            }
            a = (a << 8) | v;
        }
        return a;
    }

    public static String format(int a) {
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public boolean contains(int a) {
        return (a & mask(prefix)) == base;
    }

    public boolean contains(String dotted) {
        return contains(address(dotted));
    }

    public boolean overlaps(Ipv4Subnet other) {
        int p = Math.min(prefix, other.prefix);
        return (base & mask(p)) == (other.base & mask(p));
    }

    /** The address {@code n} places above the network address (1 is the usual gateway). */
    public int host(long n) {
        return (int) ((base & 0xffffffffL) + n);
    }

    /** How many addresses the subnet spans, network and broadcast addresses included. */
    public long size() {
        return 1L << (32 - prefix);
    }

    public int broadcast() {
        return host(size() - 1);
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
