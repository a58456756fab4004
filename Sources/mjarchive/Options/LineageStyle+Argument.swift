import ArgumentParser
import Simulator

/// `--lineage parentId|referencedMessage|hashOnly`, parsed from its raw values (which --help lists).
extension LineageStyle: ExpressibleByArgument {}
