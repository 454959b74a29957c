package com.meltano.auth.support;

/**
 * What N wrong guesses sent one after another may achieve against the throttle (SPEC section 4:
 * 5 free failures, then 1 s, 2 s, 4 s ... between attempts), as bounds a parallel test can check
 * from its own clock. Sequentially, failure 6 + k cannot happen before 2^k - 1 s have passed since
 * the first attempt, and it blocks for 2^k s after it.
 */
public final class ThrottleBounds {

    public static final int FREE_FAILURES = 5;

    private ThrottleBounds() {
    }

    /** The most wrong guesses that may be checked within {@code seconds} of the first one. */
    public static int maxChecked(double seconds) {
        int k = 0;
        while (Math.pow(2, k + 1) - 1 <= seconds) {
            k++;
        }
        return FREE_FAILURES + 1 + k;
    }

    /**
     * Seconds after the first guess before which the (subject, address) is surely still blocked,
     * given how many guesses were checked; 0 when they cannot have blocked it.
     */
    public static double surelyBlockedFor(long checked) {
        return checked <= FREE_FAILURES ? 0 : Math.pow(2, checked - FREE_FAILURES) - 1;
    }
}
