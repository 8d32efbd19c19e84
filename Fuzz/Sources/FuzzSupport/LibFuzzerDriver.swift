import CLibFuzzer

/// Runs libFuzzer's driver (command-line flags, corpus, mutation loop) over `test`.
///
/// Each target defines `@_cdecl("<Target>_main")` calling this: SwiftPM links executables with
/// `main` aliased to that symbol, which would otherwise be missing under `-parse-as-library`.
/// - Parameters:
///   - argc: The process's argument count.
///   - argv: The process's arguments.
///   - test: The target's `LLVMFuzzerTestOneInput`.
/// - Returns: libFuzzer's exit status.
public func runLibFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, test)
}
