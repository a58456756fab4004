import ArchiveStore
import ArgumentParser

/// `--algorithm phash|dhash|both`, parsed from its raw values (which --help lists).
extension HashAlgorithm: ExpressibleByArgument {}
