-- mjarchive archive schema: the one source of truth, embedded into the binary at build time.
-- The store issue fills this in; later changes are numbered migrations keyed by PRAGMA user_version.
PRAGMA user_version = 0;
