package com.meltano.auth.boot;

/**
 * Initialises the connection pool's wrapper classes on the database's thread, once the database
 * is ready, instead of on the main thread at the start's first query: each makes a dynamic proxy
 * in its static initialiser, which the JDK generates at every start (the class cache holds no
 * proxies), some 40 ms of the main thread.
 */
final class PoolWarmUp {

    private static final String[] WRAPPERS = {
        "io.agroal.pool.wrapper.ConnectionWrapper",
        "io.agroal.pool.wrapper.StatementWrapper",
        "io.agroal.pool.wrapper.PreparedStatementWrapper",
        "io.agroal.pool.wrapper.ResultSetWrapper",
    };

    private PoolWarmUp() {
    }

    static void run() {
        ClassLoader loader = PoolWarmUp.class.getClassLoader();
        for (String name : WRAPPERS) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return; // another pool version: the first query initialises what it has
            }
        }
    }
}
