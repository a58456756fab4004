// swift-tools-version: 6.1
import PackageDescription

// The picture search compares hashes by popcount. Baseline x86-64 has no such instruction, so Swift counts bits
// in about ten (near-duplicates at 10 bits over 1M: 10.5 s, not 5.5 s); every x86-64 CPU since 2008 has it.
#if arch(x86_64)
  let popcountInstruction: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-mpopcnt"])]
#else
  let popcountInstruction: [SwiftSetting] = []
#endif

let package = Package(
  name: "mjarchive",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "mjarchive", targets: ["mjarchive"]),
    .library(name: "MidjourneyAPI", targets: ["MidjourneyAPI"]),
    .library(name: "GatewayHTTP", targets: ["GatewayHTTP"]),
    .library(name: "GridImage", targets: ["GridImage"]),
    .library(name: "ArchiveStore", targets: ["ArchiveStore"]),
    .library(name: "Simulator", targets: ["Simulator"]),
    .library(name: "Sync", targets: ["Sync"]),
    .library(name: "Gallery", targets: ["Gallery"]),
    .library(name: "FileExport", targets: ["FileExport"]),
    .library(name: "SafeFiles", targets: ["SafeFiles"]),
    .library(name: "ObjectStorage", targets: ["ObjectStorage"]),
    .library(name: "Listen", targets: ["Listen"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    // Already built for swift-nio; its HeapModule keeps a bucket archive's cache trim bounded in memory.
    .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
    // listen's HTTP receiver; default traits off (no swift-configuration, no full Foundation).
    .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
  ],
  targets: [
    .target(
      name: "CPNGShim",
      linkerSettings: [.linkedLibrary("png"), .linkedLibrary("z")]
    ),
    // sqlite3_config, which Swift cannot call (it is variadic), for the store's one setting.
    .target(
      name: "CSQLiteConfig",
      linkerSettings: [.linkedLibrary("sqlite3")]
    ),
    .target(
      name: "GridImage",
      dependencies: ["CPNGShim", "SafeFiles"]
    ),
    // Writing, reading and removing inside the folders mjarchive owns without following a link planted there:
    // one way, used by sync, verify and the gallery. Foundation only.
    .target(name: "SafeFiles"),
    // General helpers every target uses (one-line text, hex, a lock, a parallel map), so MidjourneyAPI holds
    // only the gateway's API. Foundation only.
    .target(name: "Basics"),
    // Wire models, lossless JSON and the gateway client over the HTTPTransport protocol: Foundation
    // only, so the store and a future gallery do not link SwiftNIO.
    .target(name: "MidjourneyAPI", dependencies: ["Basics"]),
    // The real network: HTTPTransport on async-http-client (SwiftNIO).
    .target(
      name: "GatewayHTTP",
      dependencies: [
        "MidjourneyAPI", "Basics",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ]
    ),
    // S3-compatible object storage: the SigV4 signer and a client for one bucket, over HTTPTransport.
    .target(
      name: "ObjectStorage",
      dependencies: ["MidjourneyAPI", "Basics", .product(name: "Crypto", package: "swift-crypto")]
    ),
    .target(
      name: "ArchiveStore",
      dependencies: [
        "MidjourneyAPI", "Basics", "CSQLiteConfig",
        .product(name: "GRDB", package: "GRDB.swift"),
        // SQLite's C API for the hot inserts (RawBindings): the same system libsqlite3 GRDB links.
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ],
      // Schema/schema.sql is a symlink to the top-level file, compiled into the binary.
      resources: [.embedInCode("Schema/schema.sql")],
      swiftSettings: popcountInstruction
    ),
    .target(
      name: "Simulator",
      dependencies: [
        "MidjourneyAPI",
        "GridImage",
        "CPNGShim",
        // Posts the simulated callbacks (notifyHook).
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    .target(
      name: "Sync",
      dependencies: [
        "MidjourneyAPI", "Basics", "ArchiveStore", "GridImage", "SafeFiles", "ObjectStorage",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "HeapModule", package: "swift-collections"),
      ]
    ),
    // The static HTML gallery: Mustache templates compiled in (overridable), pages, search index, images.
    .target(
      name: "Gallery",
      dependencies: [
        "ArchiveStore", "MidjourneyAPI", "Basics", "GridImage", "SafeFiles", "ObjectStorage",
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      resources: [
        .embedInCode("Templates/index.mustache"), .embedInCode("Templates/task.mustache"),
        .embedInCode("Templates/family.mustache"), .embedInCode("Templates/head.mustache"),
        .embedInCode("Templates/tile.mustache"), .embedInCode("Templates/link.mustache"),
        .embedInCode("Templates/gallery.css"),
        .embedInCode("Templates/gallery.js"), .embedInCode("Templates/search.js"),
      ]
    ),
    // listen: the gateway's notifyHook callbacks received on Hummingbird 2, each a hint for the sync engine.
    .target(
      name: "Listen",
      dependencies: [
        "Sync", "ArchiveStore", "MidjourneyAPI", "Basics", "SafeFiles",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // export-files: the archive's pictures in folders people browse, with the prompt inside each PNG.
    .target(
      name: "FileExport",
      dependencies: ["ArchiveStore", "GridImage", "SafeFiles", .product(name: "Crypto", package: "swift-crypto")]
    ),
    .executableTarget(
      name: "mjarchive",
      dependencies: [
        "Sync",
        "Gallery",
        "FileExport",
        "Listen",
        "GatewayHTTP",
        .product(name: "Logging", package: "swift-log"),
        "MidjourneyAPI",
        "Basics",
        "ArchiveStore",
        "Simulator",
        "GridImage",
        "ObjectStorage",
        "SafeFiles",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Run on demand: bench/store.sh (release build), never part of the tests' assertions.
    .executableTarget(
      name: "StoreBenchmark",
      dependencies: ["ArchiveStore", "MidjourneyAPI"],
      path: "Benchmarks/StoreBenchmark"
    ),
    // Run on demand: bench/lineage.sh.
    .executableTarget(
      name: "LineageBenchmark",
      dependencies: ["ArchiveStore"],
      path: "Benchmarks/LineageBenchmark"
    ),
    // Run on demand: bench/similar.sh.
    .executableTarget(
      name: "SimilarityBenchmark",
      dependencies: ["ArchiveStore", "GridImage", "Sync"],
      path: "Benchmarks/SimilarityBenchmark"
    ),
    // Run on demand: bench/split.sh.
    .executableTarget(
      name: "SplitBenchmark",
      dependencies: ["GridImage"],
      path: "Benchmarks/SplitBenchmark"
    ),
    // Run on demand: bench/soak.sh.
    .executableTarget(
      name: "SoakBenchmark",
      dependencies: [
        "ArchiveStore", "MidjourneyAPI", "Basics", "Simulator", .product(name: "Crypto", package: "swift-crypto"),
      ],
      path: "Benchmarks/SoakBenchmark"
    ),
    // Helpers the test targets share.
    .target(
      name: "TestSupport",
      dependencies: [
        "Simulator", "ObjectStorage", "GatewayHTTP", "MidjourneyAPI", "Basics", "ArchiveStore",
        .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
      ],
      path: "Tests/TestSupport", exclude: ["Fixtures", "Browser"]),
    .testTarget(
      name: "MidjourneyAPITests",
      dependencies: ["MidjourneyAPI", "GatewayHTTP", "Simulator", "TestSupport"]
    ),
    .testTarget(
      name: "ArchiveStoreTests",
      dependencies: ["ArchiveStore", "MidjourneyAPI", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "SimulatorTests",
      dependencies: ["Simulator", "MidjourneyAPI", "GatewayHTTP", "GridImage"]
    ),
    .testTarget(name: "SafeFilesTests", dependencies: ["SafeFiles"]),
    .testTarget(name: "GatewayHTTPTests", dependencies: ["GatewayHTTP", "MidjourneyAPI", "Simulator"]),
    .testTarget(name: "BasicsTests", dependencies: ["Basics"]),
    .testTarget(
      name: "ObjectStorageTests",
      dependencies: [
        "ObjectStorage", "MidjourneyAPI", "GatewayHTTP", "TestSupport",
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "FileExportTests",
      dependencies: [
        "FileExport", "ArchiveStore", "GridImage", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    .testTarget(
      name: "ListenTests",
      dependencies: [
        "Listen", "Sync", "ArchiveStore", "MidjourneyAPI", "GatewayHTTP", "Simulator", "Basics", "TestSupport",
      ]
    ),
    .testTarget(
      name: "GridImageTests",
      dependencies: ["GridImage", "TestSupport"],
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "SyncTests",
      dependencies: [
        "Sync", "ArchiveStore", "MidjourneyAPI", "GatewayHTTP", "Simulator", "GridImage", "SafeFiles", "ObjectStorage",
        "TestSupport",
      ]
    ),
    .testTarget(
      name: "GalleryTests",
      dependencies: [
        "Gallery", "ArchiveStore", "MidjourneyAPI", "TestSupport", "SafeFiles", "ObjectStorage",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
    ),
    .testTarget(
      name: "mjarchiveTests",
      dependencies: [
        "mjarchive", "Simulator", "MidjourneyAPI", "ArchiveStore", "GatewayHTTP", "GridImage", "Sync", "TestSupport",
        .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
      ],
      // Golden/: the pinned output of commands (GoldenOutputTests).
      exclude: ["Golden"]
    ),
  ]
)

// libFuzzer targets, built only by fuzz/run.sh (MJARCHIVE_FUZZ=1 with -sanitize=fuzzer): they link
// clang's fuzzer runtime, which an ordinary build does not have.
if Context.environment["MJARCHIVE_FUZZ"] != nil {
  package.targets += [
    .target(name: "FuzzDriver", path: "fuzz/FuzzDriver"),
    .executableTarget(name: "FuzzJSON", dependencies: ["FuzzDriver", "MidjourneyAPI"], path: "fuzz/FuzzJSON"),
    .executableTarget(
      name: "FuzzPromptParameters", dependencies: ["FuzzDriver", "ArchiveStore"], path: "fuzz/FuzzPromptParameters"),
    .executableTarget(
      name: "FuzzSearchQuery", dependencies: ["FuzzDriver", "ArchiveStore"], path: "fuzz/FuzzSearchQuery"),
    .executableTarget(name: "FuzzPNGSplit", dependencies: ["FuzzDriver", "GridImage"], path: "fuzz/FuzzPNGSplit"),
  ]
}
