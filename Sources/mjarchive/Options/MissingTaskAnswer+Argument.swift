import ArgumentParser
import Simulator

/// `--missing-task 404|empty|204`, parsed from its raw values (which --help lists).
extension MissingTaskAnswer: ExpressibleByArgument {}
