#ifndef CSQLITE_CONFIG_H
#define CSQLITE_CONFIG_H

/// Turns off SQLite's memory statistics, which take a process-wide mutex on every allocation.
/// Takes effect only before SQLite is first initialized; returns SQLite's result code
/// (SQLITE_MISUSE, harmless, when it already was).
int csqlite_disable_memory_statistics(void);

#endif
