import ArgumentParser
import FileExport

extension ExportKind: ExpressibleByArgument {}
