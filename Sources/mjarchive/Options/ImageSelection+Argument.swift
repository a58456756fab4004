import ArchiveStore
import ArgumentParser

/// `sync --only all|upscales|grids`, parsed from its raw values (which --help lists).
extension ImageSelection: ExpressibleByArgument {}
