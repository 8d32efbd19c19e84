// swift-tools-version:6.2
// libFuzzer targets for CoreStore's parsers. Not part of the service build: `scripts/fuzz` builds
// this package with `-sanitize=fuzzer,address -parse-as-library` (see docs/testing.md, "Fuzzing").
import Foundation
import PackageDescription

/// A path dependency's identity is its directory name, which differs per checkout (`main`, a worktree).
let rootDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
let rootIdentity = rootDirectory.lastPathComponent.lowercased()

func fuzzTarget(_ name: String, _ extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "CoreStore", package: rootIdentity)] + extra,
        swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
    )
}

let targets = ["FuzzMultipart", "FuzzHeaderParameters", "FuzzJWT", "FuzzRange", "FuzzS3XML"]

let package = Package(
    name: "upload-download-service-fuzz",
    platforms: [.macOS(.v15)],
    products: targets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(path: rootDirectory.path),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
    ]
        + targets.map { name in
            fuzzTarget(name, name == "FuzzMultipart" ? [.product(name: "NIOCore", package: "swift-nio")] : [])
        }
)
